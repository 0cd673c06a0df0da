#!/usr/bin/env bash
# Where the agent's start-up time goes: the races jar playing one run of a race with every failpoint
# off, and the moments (ms since JVM start, medians of N runs, contenders alternating) at which it
# loads the classes that mark its phases: main class, command line parsed, race found, the first
# classes that carry failpoints. Contenders: no agent; jfail (java -jar: its Launcher-Agent-Class);
# the same jar started by an agent that does nothing but register a transformer that returns null,
# as a Launcher-Agent-Class and as -javaagent (made here from a few lines of Java): what the JVM
# charges any agent, against what jfail adds to it.
# Usage: bench/startup-phases.sh [N] [JAR]   (build first: mvn -B -q -DskipTests package; needs python3)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-11}
jar=$(realpath "${2:-kernel-model/target/jfail-races.jar}")
[ -f "$jar" ] || { echo "no $jar: build first: mvn -B -q -DskipTests package" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/src/noop" "$work/classes"
cat > "$work/src/noop/Agent.java" <<'JAVA'
package noop;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
public class Agent {
    public static void premain(String args, Instrumentation inst) {
        inst.addTransformer(new ClassFileTransformer() {
            @Override
            public byte[] transform(ClassLoader l, String n, Class<?> c, ProtectionDomain d, byte[] b) {
                return null;
            }
        }, true);
    }
    public static void agentmain(String args, Instrumentation inst) {
        premain(args, inst);
    }
}
JAVA
javac -d "$work/classes" "$work/src/noop/Agent.java"
printf 'Premain-Class: noop.Agent\nLauncher-Agent-Class: noop.Agent\nCan-Retransform-Classes: true\nMain-Class: dev.jfail.kernel.runner.RacesCli\nClass-Path: %s\n' \
  "$jar" > "$work/manifest"
jar cfm "$work/noop.jar" "$work/manifest" -C "$work/classes" .
python3 - "$runs" "$jar" "$work" <<'PY'
import statistics, subprocess, sys
runs, jar, work = int(sys.argv[1]), sys.argv[2], sys.argv[3]
log = work + "/classes.log"
xlog = "-Xlog:class+load=info:file=" + log + ":uptimenanos"
args = ["run", "collapse", "-n", "1", "--failpoints", "none"]
contenders = {
    "no agent": ["java", xlog, "-cp", jar, "dev.jfail.kernel.runner.RacesCli"],
    "jfail (-jar)": ["java", xlog, "-jar", jar],
    "noop (-jar)": ["java", xlog, "-jar", work + "/noop.jar"],
    "noop (-javaagent)": ["java", xlog, "-javaagent:" + work + "/noop.jar", "-cp", jar, "dev.jfail.kernel.runner.RacesCli"],
}
marks = [("main class", "dev.jfail.kernel.runner.RacesCli"), ("command parsed", "dev.jfail.kernel.runner.RunCommand"),
         ("race found", "dev.jfail.kernel.race.Races"), ("first failpoint class", "dev.jfail.kernel.kern.Kernel"),
         ("race's own failpoint class", "dev.jfail.kernel.vm.VmObjectCollapse")]
seen = {c: {m: [] for m, _ in marks} for c in contenders}
for r in range(runs):
    for name, cmd in contenders.items():
        subprocess.run(cmd + args, stdout=subprocess.DEVNULL, check=True)
        at = {}
        for line in open(log):
            f = line.split()
            if len(f) > 1 and f[1] not in at:
                at[f[1]] = int(f[0][1:-3]) / 1e6
        for m, cls in marks:
            seen[name][m].append(at.get(cls, float("nan")))
    print(f"\r{r + 1}/{runs}", end="", file=sys.stderr, flush=True)
print(file=sys.stderr)
print(f"ms since JVM start, medians of {runs} runs of {' '.join(args)} (loaded with -Xlog:class+load):")
print(f"{'phase (class loaded)':28}" + "".join(f"{c:>20}" for c in contenders))
base = {m: statistics.median(seen["no agent"][m]) for m, _ in marks}
for m, _ in marks:
    cells = []
    for c in contenders:
        v = statistics.median(seen[c][m])
        cells.append(f"{v:8.1f}" + ("" if c == "no agent" else f" ({v - base[m]:+5.1f})"))
    print(f"{m:28}" + "".join(f"{x:>20}" for x in cells))
PY
