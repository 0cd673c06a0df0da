#!/usr/bin/env bash
# The cost of a handle on another JVM (FailPoints.jvm / the launcher), against the same verb in this
# JVM: a set (median and p99 over N, default 1000) and a hold's round trip (arm, await a thread held
# there, release; a thread crosses the point every 0.1 ms in both cases). Contenders alternate in
# blocks of 50. Then the target's CPU time over 5 s while nothing waits on it, and while a handle
# waits on it (awaitFired that never comes). Usage: bench/remote-jvm.sh [N]   (after mvn -B -q -DskipTests package)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000}
agent=agent/target/jfail-agent.jar
[ -f "$agent" ] || { echo "build first: mvn -B -q -DskipTests package" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/Target.java" <<'JAVA'
import dev.jfail.FailPoint;
import java.util.concurrent.locks.LockSupport;
public class Target {
    @FailPoint("bench_point") static void point() { }
    /** Crosses bench_point every 0.1 ms ("cross"), or only sleeps ("idle"). */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("cross")) { crosser().start(); }
        System.out.println("ready");
        Thread.sleep(600_000);
    }
    static Thread crosser() {
        Thread t = new Thread(() -> { while (true) { point(); LockSupport.parkNanos(100_000); } }, "crosser");
        t.setDaemon(true);
        return t;
    }
}
JAVA
cat > "$work/Bench.java" <<'JAVA'
import dev.jfail.FailPoints;
import dev.jfail.Hold;
import dev.jfail.Jvm;
import java.time.Duration;
import java.util.Arrays;
import java.util.regex.Pattern;
public class Bench {
    interface Op { void run(); }
    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        Target.crosser().start(); // this JVM's own crosser, for the local hold
        try (Jvm target = FailPoints.launcher("Target").name("target").args("cross").start()) {
            target.awaitOutput(Pattern.compile("ready"));
            compare("set", n, () -> FailPoints.set("bench_point", "off"), () -> target.set("bench_point", "off"));
            compare("hold round trip", n, () -> { try (Hold h = FailPoints.holdAt("bench_point")) { h.awaitHeld(); } },
                    () -> { try (Hold h = target.holdAt("bench_point")) { h.awaitHeld(); } });
        }
        try (Jvm idle = FailPoints.launcher("Target").name("idle").args("idle").start()) {
            idle.awaitOutput(Pattern.compile("ready"));
            Thread.sleep(2000); // past its start-up
            ProcessHandle h = ProcessHandle.of(idle.pid()).orElseThrow();
            long[] quiet = new long[3], waiting = new long[3];
            for (int i = 0; i < 3; i++) { // alternated
                long c0 = cpu(h); Thread.sleep(5000); quiet[i] = cpu(h) - c0;
                long c1 = cpu(h);
                try { idle.awaitFired("never", 1, Duration.ofSeconds(5)); } catch (AssertionError expected) { }
                waiting[i] = cpu(h) - c1;
            }
            System.out.printf("target CPU over 5 s: nothing waiting %s ms, a handle waiting %s ms (3 rounds each)%n",
                    Arrays.toString(quiet), Arrays.toString(waiting));
        }
    }
    static long cpu(ProcessHandle h) { return h.info().totalCpuDuration().orElseThrow().toMillis(); }
    static void compare(String what, int n, Op local, Op remote) {
        for (int i = 0; i < 200; i++) { local.run(); remote.run(); } // warm-up
        long[] l = new long[n], r = new long[n];
        for (int block = 0; block < n; block += 50) {
            for (int i = block; i < Math.min(n, block + 50); i++) { long t = System.nanoTime(); local.run(); l[i] = System.nanoTime() - t; }
            for (int i = block; i < Math.min(n, block + 50); i++) { long t = System.nanoTime(); remote.run(); r[i] = System.nanoTime() - t; }
        }
        Arrays.sort(l); Arrays.sort(r);
        System.out.printf("%-16s local median %8.1f us p99 %8.1f us | remote median %8.1f us p99 %8.1f us | ratio median %6.1f p99 %6.1f%n",
                what, l[n / 2] / 1e3, l[n * 99 / 100] / 1e3, r[n / 2] / 1e3, r[n * 99 / 100] / 1e3,
                (double) r[n / 2] / l[n / 2], (double) r[n * 99 / 100] / l[n * 99 / 100]);
    }
}
JAVA
javac -d "$work" -cp "$agent" "$work/Target.java" "$work/Bench.java"
java -javaagent:"$agent" -cp "$agent:$work" Bench "$n"
