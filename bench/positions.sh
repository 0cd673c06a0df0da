#!/usr/bin/env bash
# What an off point inside a method costs (PositionBench), and a class full of automatic points
# (AutoPointBench: auto@ over Guarded, against its uninstrumented twin), measured so that each and
# its uninstrumented twin are taken seconds apart: R short JMH rounds (default 5), each running the
# eight benchmarks one after another, then each round's ratios and their median.
# Usage: bench/positions.sh [R]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
jar=bench/target/jfail-bench.jar
[ -f "$jar" ] || { echo "build first: mvn -B -q -DskipTests package" >&2; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
java -version 2>&1 | head -1
for r in $(seq "$rounds"); do
  echo "round $r of $rounds" >&2
  # -Djmh.ignoreLock: on a shared machine another JMH run may hold the lock; the ratios are what count
  java -Djmh.ignoreLock=true -jar "$jar" 'PositionBench|AutoPointBench' -f 1 -wi 3 -w 1s -i 3 -r 1s -rf csv -rff "$out/$r.csv" > "$out/$r.log"
done
awk -F, '
  FNR == 1 { round++ ; next }
  { gsub(/"/, ""); n = split($1, parts, "."); score[round, parts[n]] = $5 }
  END {
    split("lineInLoop/plain exit/plain java14LineInLoop/java14Plain java14Exit/java14Plain automaticPoints/uninstrumented", pairs, " ")
    printf "%-34s %s\n", "ratio (ns/op over ns/op)", "per round, then the median"
    for (p = 1; p <= 5; p++) {
      split(pairs[p], ab, "/"); line = ""; k = 0
      for (r = 1; r <= round; r++) { v[++k] = score[r, ab[1]] / score[r, ab[2]]; line = line sprintf(" %.2f", v[k]) }
      for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
      printf "%-34s%s   median %.2f\n", pairs[p], line, (k % 2 ? v[(k + 1) / 2] : (v[k / 2] + v[k / 2 + 1]) / 2)
    }
    printf "\nns/op per round:\n"
    split("plain lineInLoop exit java14Plain java14LineInLoop java14Exit uninstrumented automaticPoints", names, " ")
    for (b = 1; b <= 8; b++) { line = ""; for (r = 1; r <= round; r++) line = line sprintf(" %9.1f", score[r, names[b]]); printf "%-18s%s\n", names[b], line }
  }' "$out"/*.csv
