#!/usr/bin/env bash
# What knocks on an open control channel cost the target: a JVM with the agent of each JAR given
# (default: agent/target/jfail-agent.jar) has its channel opened by the CLI, then gets N SIGURGs
# (default 10000); prints the target's CPU time (user + system, /proc) over those signals and its
# thread count before and after. Linux only. Usage: bench/knock-cost.sh [-n N] [JAR...]
set -euo pipefail
cd "$(dirname "$0")/.."
signals=10000
if [ "${1:-}" = "-n" ]; then signals=$2; shift 2; fi
jars=("$@")
[ ${#jars[@]} -gt 0 ] || jars=(agent/target/jfail-agent.jar)

app=$(mktemp -d)
trap 'rm -rf "$app"' EXIT
cat > "$app/Idle.java" <<'JAVA'
public class Idle { public static void main(String[] a) throws Exception { System.out.println("ready"); Thread.sleep(120_000); } }
JAVA
javac -d "$app" "$app/Idle.java"
hz=$(getconf CLK_TCK)

for jar in "${jars[@]}"; do
  java "-javaagent:$jar" -cp "$app" Idle > "$app/out" 2>&1 &
  pid=$!
  until grep -q ready "$app/out"; do sleep 0.1; done
  java -jar "$jar" "$pid" >/dev/null 2>&1 || true   # opens the channel
  sleep 1
  cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
  threads() { awk '/^Threads/ {print $2}' "/proc/$pid/status"; }
  before=$(cpu); t0=$(threads)
  for _ in $(seq "$signals"); do kill -URG "$pid"; done
  sleep 1
  after=$(cpu)
  awk -v j="$jar" -v n="$signals" -v d=$((after - before)) -v hz="$hz" -v t0="$t0" -v t1="$(threads)" \
    'BEGIN {printf "%s: %d SIGURG cost the open channel'"'"'s JVM %.2f s of CPU; threads %d -> %d\n", j, n, d / hz, t0, t1}'
  kill "$pid"; wait "$pid" 2>/dev/null || true
done
