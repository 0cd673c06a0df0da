#!/usr/bin/env bash
# The explorer against the plain baseline and the races' preset settings, side by side in one run
# (issue 13). Per race and round, alternating: (a) `explore RACE` (every strategy, no knowledge of
# the preset), (b) `explore RACE --strategies sleeps-everywhere` (50%sleep(ms) at every reached
# point, ms random per run), (c) `run RACE --failpoints preset` until its first failure. Time to
# first symptom is wall time from the JVM's start (for a and b: the process's wall time less what
# it did after its first failure: checking, shrinking, measuring the rate). Then each fixed variant
# explored for the same budget: it must find nothing. Prints a Markdown table of medians.
# Usage: bench/explore.sh [ROUNDS (default 3)] [BUDGET (default 60s)]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
budget=${2:-60s}
jar=kernel-model/target/jfail-races.jar
[ -f "$jar" ] || { echo "build first: mvn -B -q -DskipTests package" >&2; exit 1; }
races=(collapse swapoff uvn md-bitmap sendfile)
out=${EXPLORE_RESULTS:-bench/target/explore-results}   # every run's JSON is kept there
rm -rf "$out" && mkdir -p "$out"

timed() { # $1: output file, rest: the command; prints the wall seconds
  local f=$1; shift
  local start=$EPOCHREALTIME
  "$@" > "$f" 2> "$f.err" || true
  awk -v s="$start" -v e="$EPOCHREALTIME" 'BEGIN {printf "%.2f", e - s}'
}

for round in $(seq "$rounds"); do
  for race in "${races[@]}"; do
    seed=$((round * 1000 + 1))
    echo "round $round/$rounds: $race" >&2
    w=$(timed "$out/a-$race-$round" java -jar "$jar" explore "$race" --budget "$budget" --seed "$seed" --json --quiet)
    echo "$w" > "$out/a-$race-$round.wall"
    w=$(timed "$out/b-$race-$round" java -jar "$jar" explore "$race" --strategies sleeps-everywhere --no-shrink \
          --rate-runs 1 --budget "$budget" --seed "$seed" --json --quiet)
    echo "$w" > "$out/b-$race-$round.wall"
    variant=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["variant"])' "$out/a-$race-$round")
    w=$(timed "$out/c-$race-$round" java -jar "$jar" run "$race" --variant "$variant" --failpoints preset -n 100000 --max-failures 1 \
          --full 0 --seed "$seed" --json --quiet)
    echo "$w" > "$out/c-$race-$round.wall"
  done
done
for race in "${races[@]}"; do
  echo "fixed: $race" >&2
  w=$(timed "$out/f-$race" java -jar "$jar" explore "$race" --variant fixed --budget "$budget" --seed 1 --json --quiet)
  echo "$w" > "$out/f-$race.wall"
done

python3 - "$out" "$rounds" "$budget" "${races[@]}" <<'PY'
import json, statistics, sys
out, rounds, budget, races = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4:]
def load(name):
    try:
        return json.load(open(f"{out}/{name}")), float(open(f"{out}/{name}.wall").read())
    except (ValueError, OSError):
        return None, None
def explored(kind, race, r, good=False):
    d, wall = load(f"{kind}-{race}-{r}")
    if d is None or not d["found"] or (good and d.get("goodSeconds") is None):
        return None, None, d
    if good:
        return wall - (d["totalSeconds"] - d["goodSeconds"]), d["goodRuns"], d
    return wall - (d["totalSeconds"] - d["seconds"]), d["runs"], d
def preset(race, r):
    d, wall = load(f"c-{race}-{r}")
    b = d["batches"][0] if d else None
    if not b or b["firstFailureRun"] is None:
        return None, None
    return wall - (b["totalMillis"] - b["firstFailureMillis"]) / 1000, b["firstFailureRun"]
def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None
def fmt(t, n, found):
    return "not found" if t is None else f"{t:.1f} s, {n:.0f} runs" + ("" if found == rounds else f" ({found}/{rounds} found)")
print(f"| race | (a) explorer: first symptom | (a) first setting that fails again in ≥ 2 of 8 runs | (b) 50%sleep at every point | (c) preset settings | explorer's shrunk setting (rate) | preset | fixed variant, {budget} |")
print("|---|---|---|---|---|---|---|---|")
medians = []
for race in races:
    a = [explored("a", race, r) for r in range(1, rounds + 1)]
    b = [explored("b", race, r) for r in range(1, rounds + 1)]
    c = [preset(race, r) for r in range(1, rounds + 1)]
    g = [explored("a", race, r, good=True) for r in range(1, rounds + 1)]
    ta, tb, tc, tg = med([x[0] for x in a]), med([x[0] for x in b]), med([x[0] for x in c]), med([x[0] for x in g])
    medians.append((ta, tg))
    last = next((x[2] for x in reversed(a) if x[2] and x[2]["found"]), None)
    shrunk = f"`{last['failpoints']}` ({last['rate']:.0%}), {last['complexity']} pieces" if last else "-"
    pre = last["presetFailpoints"] if last else ""
    prec = f"`{pre}`, {last['presetComplexity']} pieces" if last else "-"
    f, _ = load(f"f-{race}")
    fixed = "no run" if f is None else ("**false alarm**: " + f["failpoints"] if f["found"] else f"nothing found in {f['totalRuns']} runs")
    print(f"| {race} | {fmt(ta, med([x[1] for x in a]), sum(x[0] is not None for x in a))} "
          f"| {fmt(tg, med([x[1] for x in g]), sum(x[0] is not None for x in g))} "
          f"| {fmt(tb, med([x[1] for x in b]), sum(x[0] is not None for x in b))} "
          f"| {fmt(tc, med([x[1] for x in c]), sum(x[0] is not None for x in c))} | {shrunk} | {prec} | {fixed} |")
found = [m[0] for m in medians if m[0] is not None]
good = [m[1] for m in medians if m[1] is not None]
print()
print(f"(a) found {len(found)} of {len(races)} races; median over races of the median time, JVM start included, to the first symptom: "
      + (f"{statistics.median(found):.1f} s" if found else "-") + ", to the first setting that fails again: "
      + (f"{statistics.median(good):.1f} s" if good else "-") + f"; {rounds} round(s), budget {budget}; raw JSON in {out}.")
PY
