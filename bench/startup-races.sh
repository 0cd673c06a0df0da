#!/usr/bin/env bash
# What the agent adds to the start (and exit) of a JVM whose classes carry failpoints: the races
# jar playing one run of a race with every failpoint off, with its agent (java -jar: the
# Launcher-Agent-Class starts it) and without (java -cp ... RacesCli). The contenders alternate run
# by run, so a loaded machine slows both alike; printed: median and fastest wall time of N runs
# (default 21), the median CPU time (user + system) and the classes each loads (one extra run with
# -Xlog:class+load; javax.management shows whether the MBean, registered a second after start, was).
# Usage: bench/startup-races.sh [N] [RACE] [JAR...]   (JAR defaults to kernel-model/target/jfail-races.jar;
# give two jars, e.g. a copy of the jar before a change and after, to compare them in the same run)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-21}
race=${2:-collapse}
shift $(( $# < 2 ? $# : 2 ))
jars=("$@")
[ ${#jars[@]} -gt 0 ] || jars=(kernel-model/target/jfail-races.jar)
for jar in "${jars[@]}"; do
  [ -f "$jar" ] || { echo "no $jar: build first: mvn -B -q -pl kernel-model -am -DskipTests package" >&2; exit 1; }
done
args=(run "$race" -n 1 --failpoints none)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

contender() { # $1: index; sets label and cmd
  local jar=${jars[$(( $1 / 2 ))]}
  if (( $1 % 2 == 0 )); then
    label="$(basename "$jar"): without agent"; cmd=(java -cp "$jar" dev.jfail.kernel.runner.RacesCli "${args[@]}")
  else
    label="$(basename "$jar"): with agent"; cmd=(java -jar "$jar" "${args[@]}")
  fi
}

count=$(( ${#jars[@]} * 2 ))
TIMEFORMAT='%3R %3U %3S' # wall, user and system seconds: CPU time is what a loaded machine blurs least
java -version 2>&1 | head -1
echo "${args[*]}: $runs runs each, alternating"
for r in $(seq "$runs"); do
  for c in $(seq 0 $(( count - 1 ))); do
    contender "$c"
    { time "${cmd[@]}" > /dev/null; } 2>> "$out/$c"
  done
  printf '\r%d/%d' "$r" "$runs" >&2
done
echo >&2
for c in $(seq 0 $(( count - 1 ))); do
  contender "$c"
  java -Xlog:class+load=info:file="$out/classes" "${cmd[@]:1}" > /dev/null
  classes=$(grep -c 'class,load' "$out/classes")
  jmx=$(grep -c 'class,load. javax\.management' "$out/classes" || true)
  awk '{printf "%.1f %.1f\n", $1 * 1000, ($2 + $3) * 1000}' "$out/$c" > "$out/ms"
  cpu=$(cut -d' ' -f2 "$out/ms" | sort -n | awk '{t[NR]=$1} END {printf "%.0f", t[int((NR+1)/2)]}')
  cut -d' ' -f1 "$out/ms" | sort -n | awk -v label="$label" -v classes="$classes" -v jmx="$jmx" -v cpu="$cpu" '{t[NR]=$1}
    END {printf "%-34s wall median %6.1f ms  fastest %6.1f ms   CPU median %5d ms   classes %5d (javax.management %d)\n",
         label, t[int((NR+1)/2)], t[1], cpu, classes, jmx}'
done
