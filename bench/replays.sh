#!/usr/bin/env bash
# Replays measured: for each race, record 3 failing runs of its buggy variant (seed failpoints), then
# replay each N times in its recorded order and N times with its seeds only; prints one line per file.
# Usage: bench/replays.sh [N] [RACE...]   (build first: mvn -B -q -DskipTests package)
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=kernel-model/target/jfail-races.jar
N=${1:-10}; shift || true
RACES=${*:-collapse swapoff uvn md-bitmap sendfile}
OUT=$(mktemp -d -t jfail-replays.XXXXXX)
count() { python3 -c "import json,sys; d=json.load(sys.stdin); print(d['same_symptom'], '/', d['runs'])"; }
for race in $RACES; do
  variant=$(java -jar $JAR list --json | python3 -c "import json,sys; r=[x for x in json.load(sys.stdin)['races'] if x['id']=='$race'][0]; print([v['name'] for v in r['variants'] if not v['fixed']][0])")
  java -jar $JAR run "$race" --variant "$variant" -n 3000 --max-failures 3 --full 3 --record "$OUT" --quiet > "$OUT/$race.txt"
  for f in "$OUT/$race"-*.replay; do
    order=$(java -jar $JAR replay "$f" -n "$N" --json --quiet | count)
    seeds=$(java -jar $JAR replay "$f" -n "$N" --seed-only --json --quiet | count)
    echo "$(basename "$f"): recorded order $order, seeds only $seeds; $(grep '^symptom' "$f" | cut -f2 | cut -c1-70)"
  done
done
echo "(files in $OUT)"
