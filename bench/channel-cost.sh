#!/usr/bin/env bash
# What the control channel costs a JVM that lives long enough to open it (the agent opens it, and
# registers its MBean, one second after start, on a daemon thread): the CPU time (user + system)
# of a JVM with the jfail agent that idles for 3 s, with the channel and without it
# (-Djfail.control=false), run alternately N times (default 21). Prints the medians and their ratio.
# Usage: bench/channel-cost.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-21}
agent=agent/target/jfail-agent.jar
[ -f "$agent" ] || { echo "build first: mvn -B -q -DskipTests package" >&2; exit 1; }

app=$(mktemp -d)
trap 'rm -rf "$app"' EXIT
cat > "$app/Idle.java" <<'JAVA'
public class Idle { public static void main(String[] a) throws Exception { Thread.sleep(3000); } }
JAVA
javac -d "$app" "$app/Idle.java"

cpu_ms() { # CPU milliseconds of one run of java "$@"
  /usr/bin/time -f '%U %S' -o "$app/time" java "$@" -cp "$app" Idle
  awk '{printf "%.0f\n", ($1 + $2) * 1000}' "$app/time"
}

with=() without=()
for _ in $(seq "$runs"); do
  with+=("$(cpu_ms "-javaagent:$agent")")
  without+=("$(cpu_ms -Djfail.control=false "-javaagent:$agent")")
done
median() { printf '%s\n' "$@" | sort -n | awk '{t[NR]=$1} END {print t[int((NR+1)/2)]}'; }
m_with=$(median "${with[@]}")
m_without=$(median "${without[@]}")
java -version 2>&1 | head -1
printf 'CPU per JVM, median of %d alternated runs (10 ms resolution)\n' "$runs"
printf '  jfail agent, control channel (default)   %5d ms\n' "$m_with"
printf '  jfail agent, -Djfail.control=false       %5d ms\n' "$m_without"
awk -v a="$m_with" -v b="$m_without" 'BEGIN {printf "  ratio with/without                        x%.2f\n", a / b}'
diffs=()
for i in "${!with[@]}"; do diffs+=("$((with[i] - without[i]))"); done
printf '  difference, median of the paired runs     %5d ms (once per JVM, on a daemon thread, 1 s after start)\n' "$(median "${diffs[@]}")"
