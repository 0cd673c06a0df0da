#!/usr/bin/env bash
# What exploring across processes costs: the same exploration (same seed, same strategies, a workload
# that sleeps 1 ms) of two points crossed by a thread every 0.1 ms, the points in this JVM against
# the points in another JVM (a handle: reset, seed, settings, counts and the orders' polls are round
# trips over its channel). Contenders alternate, S seconds each (default 10), three rounds; prints
# runs per minute and milliseconds per run. Usage: bench/explore-across-jvms.sh [S]
#   (after mvn -B -q -DskipTests package)
set -euo pipefail
cd "$(dirname "$0")/.."
s=${1:-10}
agent=agent/target/jfail-agent.jar
[ -f "$agent" ] || { echo "build first: mvn -B -q -DskipTests package" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/Target.java" <<'JAVA'
import dev.jfail.FailPoint;
import java.util.concurrent.locks.LockSupport;
public class Target {
    @FailPoint("tick") static void tick() { }
    @FailPoint("tock") static void tock() { }
    /** Crosses tick and tock every 0.1 ms on a thread of its own. */
    static Thread crosser() {
        Thread t = new Thread(() -> { while (true) { tick(); tock(); LockSupport.parkNanos(100_000); } }, "crosser");
        t.setDaemon(true);
        return t;
    }
    public static void main(String[] args) throws Exception {
        crosser().start();
        System.out.println("ready");
        Thread.sleep(600_000);
    }
}
JAVA
cat > "$work/Bench.java" <<'JAVA'
import dev.jfail.FailPoints;
import dev.jfail.Jvm;
import dev.jfail.explore.Exploration;
import dev.jfail.explore.Explorer;
import dev.jfail.explore.Strategy;
import java.time.Duration;
import java.util.regex.Pattern;
public class Bench {
    public static void main(String[] args) throws Exception {
        Duration each = Duration.ofSeconds(Long.parseLong(args[0]));
        try (Jvm target = FailPoints.launcher("Target").name("target").start()) {
            target.awaitOutput(Pattern.compile("ready"));
            for (int round = 1; round <= 3; round++) {
                report(round, "points in this JVM   ", explorer(each).explore());
                report(round, "points in another JVM", explorer(each).jvms(target).excluding(java.util.List.of("tick", "tock")).explore());
            }
        }
    }
    static { Target.crosser().start(); } // this JVM's crossings of its own tick and tock
    static Explorer<Object> explorer(Duration each) {
        // no failures nor exceptions: they would end the crossing threads, which the next round needs
        return Explorer.of(seed -> { Thread.sleep(1); return null; }).seed(1).shrink(false).budget(each, Integer.MAX_VALUE)
                .strategies(java.util.EnumSet.of(Strategy.DELAYS, Strategy.SLEEPS_EVERYWHERE, Strategy.COUNTS, Strategy.ORDERS, Strategy.TRIPLES));
    }
    static void report(int round, String what, Exploration e) {
        double seconds = e.total().toNanos() / 1e9;
        System.out.printf("round %d  %s  %6d runs in %4.1f s: %7.0f runs/min, %5.2f ms/run; reached %s%n",
                round, what, e.runs(), seconds, e.runs() * 60 / seconds, seconds * 1000 / e.runs(), e.reached().keySet());
    }
}
JAVA
javac -d "$work" -cp "$agent" "$work/Target.java" "$work/Bench.java"
java -javaagent:"$agent" -cp "$agent:$work" Bench "$s"
