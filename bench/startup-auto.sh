#!/usr/bin/env bash
# What auto@ adds to a JVM's start over a large library: a JVM that loads (without initialising)
# every class of a library jar from Maven Central (default commons-lang3 3.17.0, from the local
# Maven repository), without the agent, with the agent and nothing declared, and with
# auto@<the library's package>.* (every class scanned, and rewritten where it gets points); the
# three alternated run by run, N rounds (default 11); medians and fastest of wall time and of CPU
# time (user + system: on a shared, overloaded machine the wall time mostly measures the others),
# and the ratios of the medians to no agent. Usage: bench/startup-auto.sh [N] [JAR PACKAGE]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-11}
repo=${MAVEN_REPO:-$HOME/.m2/repository}
lib=${2:-$repo/org/apache/commons/commons-lang3/3.17.0/commons-lang3-3.17.0.jar}
package=${3:-org.apache.commons.lang3}
classes=bench/target/classes
agent=agent/target/jfail-agent.jar
[ -f "$agent" ] && [ -f "$classes/dev/jfail/bench/LoadAll.class" ] || { echo "build first: mvn -B -q -DskipTests package" >&2; exit 1; }
[ -f "$lib" ] || { echo "no library jar at $lib (mvn dependency:get -Dartifact=org.apache.commons:commons-lang3:3.17.0, or give JAR PACKAGE)" >&2; exit 1; }
cp="$classes:$lib:$agent"

labels=("no agent" "jfail, nothing declared" "jfail, auto@$package.*")
options=("-Dnone=1" "-javaagent:$agent" "-javaagent:$agent=auto@$package.*")
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
java -version 2>&1 | head -1
java "-javaagent:$agent=auto@$package.*" -cp "$cp" dev.jfail.bench.LoadAll "$lib" "$package" --census | tail -1
for r in $(seq "$runs"); do
  for i in 0 1 2; do
    /usr/bin/time -f "%e %U %S" -o "$out/t" java "${options[$i]}" -cp "$cp" dev.jfail.bench.LoadAll "$lib" "$package" > /dev/null
    awk '{printf "%.0f\n", $1 * 1000}' "$out/t" >> "$out/wall$i"
    awk '{printf "%.0f\n", ($2 + $3) * 1000}' "$out/t" >> "$out/cpu$i"
  done
done
java -cp "$cp" dev.jfail.bench.LoadAll "$lib" "$package"
for kind in wall cpu; do
  base=$(sort -n "$out/${kind}0" | awk '{t[NR]=$1} END {print t[int((NR+1)/2)]}')
  for i in 0 1 2; do
    sort -n "$out/$kind$i" | awk -v label="${labels[$i]}, $kind" -v base="$base" \
      '{t[NR]=$1} END {m=t[int((NR+1)/2)]; printf "%-50s median %7.0f ms   fastest %7.0f ms   %.2fx\n", label, m, t[1], m / base}'
  done
done
