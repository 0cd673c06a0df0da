#!/usr/bin/env bash
# What the control channel costs a JVM that nobody controls: the CPU time (user + system) of a JVM
# with the jfail agent that idles for 3 s, as it starts by default (the agent handles SIGURG, on
# which it would open its control socket) and with -Djfail.control=false (no channel at all), run
# alternately N times (default 21). Prints the medians, their ratio and the median of the paired
# differences. Usage: bench/channel-cost.sh [N]
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
printf '  jfail agent, channel on SIGURG (default)  %5d ms\n' "$m_with"
printf '  jfail agent, -Djfail.control=false       %5d ms\n' "$m_without"
awk -v a="$m_with" -v b="$m_without" 'BEGIN {printf "  ratio with/without                        x%.2f\n", a / b}'
diffs=()
for i in "${!with[@]}"; do diffs+=("$((with[i] - without[i]))"); done
printf '  difference, median of the paired runs     %5d ms \n' "$(median "${diffs[@]}")"
