#!/usr/bin/env bash
# What the agent adds to a JVM's start and exit when no class has a failpoint: the median and the
# fastest of N runs (default 21) of a "hello" application without an agent, with an empty agent
# (the JVM's own cost of any -javaagent), and with jfail. Usage: bench/startup.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-21}
classes=bench/target/classes
agent=agent/target/jfail-agent.jar
[ -f "$agent" ] && [ -f "$classes/dev/jfail/bench/Hello.class" ] || { echo "build first: mvn -B -q -DskipTests package" >&2; exit 1; }

empty=$(mktemp -d)
trap 'rm -rf "$empty"' EXIT
cat > "$empty/Empty.java" <<'JAVA'
public class Empty { public static void premain(String a, java.lang.instrument.Instrumentation i) { } }
JAVA
javac -d "$empty" "$empty/Empty.java"
printf 'Premain-Class: Empty\nCan-Retransform-Classes: true\n' > "$empty/manifest"
jar cfm "$empty/empty.jar" "$empty/manifest" -C "$empty" Empty.class

measure() { # $1: label, rest: java options
  local label=$1; shift
  local times=()
  for _ in $(seq "$runs"); do
    local start=$EPOCHREALTIME
    java "$@" -cp "$classes" dev.jfail.bench.Hello > /dev/null
    local end=$EPOCHREALTIME
    times+=("$(awk -v s="$start" -v e="$end" 'BEGIN {printf "%.1f", (e - s) * 1000}')")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk -v label="$label" '{t[NR]=$1} END {printf "%-28s median %6.1f ms   fastest %6.1f ms\n", label, t[int((NR+1)/2)], t[1]}'
}

java -version 2>&1 | head -1
measure "no agent" -Dnone=1
measure "empty agent" "-javaagent:$empty/empty.jar"
measure "jfail agent" "-javaagent:$agent"
measure "jfail agent, -Djfail.jmx=false" -Djfail.jmx=false "-javaagent:$agent"
