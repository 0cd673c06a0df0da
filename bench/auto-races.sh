#!/usr/bin/env bash
# The five races explored from the kernel model's automatic points alone (`explore RACE --points
# auto`: auto@dev.jfail.kernel.*, the runner's and the races' workloads' points left out, no
# @FailPoint point) against their declared points (`explore RACE`), side by side in one run,
# alternating per race, and narrowed to the race's own part of the model (--points
# auto@dev.jfail.kernel.vm.* for collapse...); then each fixed variant explored the same two ways
# for the same budget. The runner's default strategies throughout (every one but exceptions, which
# the model's points cannot take); at automatic points the explorer never injects return(n).
# Prints a Markdown table; every run's JSON is kept in bench/target/auto-races.
# Usage: bench/auto-races.sh [BUDGET (default 60s)] [SEED (default 1)]
set -euo pipefail
cd "$(dirname "$0")/.."
budget=${1:-60s}
seed=${2:-1}
jar=kernel-model/target/jfail-races.jar
[ -f "$jar" ] || { echo "build first: mvn -B -q -DskipTests package" >&2; exit 1; }
races=(collapse swapoff uvn md-bitmap sendfile)
declare -A part=([collapse]=vm [swapoff]=vm [uvn]=uvm [md-bitmap]=md [sendfile]=sendfile)
out=${AUTO_RESULTS:-bench/target/auto-races}
bound=${AUTO_BOUND:-400}   # seconds
rm -rf "$out" && mkdir -p "$out"

timed() { # $1: output file, rest: the command; writes the wall seconds to $1.wall
  local f=$1; shift
  local start=$EPOCHREALTIME
  # a bound on the whole process: a failure injected at an automatic point can make code loop forever
  # where the run's time limit does not reach (the workload's set-up, on the explorer's own thread)
  timeout "$bound" "$@" > "$f" 2> "$f.err" || echo "exit $?" >> "$f.err"
  awk -v s="$start" -v e="$EPOCHREALTIME" 'BEGIN {printf "%.2f", e - s}' > "$f.wall"
}

for race in "${races[@]}"; do
  echo "buggy: $race" >&2
  timed "$out/declared-$race" java -jar "$jar" explore "$race" --budget "$budget" --seed "$seed" --json --quiet
  timed "$out/auto-$race" java -jar "$jar" explore "$race" --points auto --budget "$budget" --seed "$seed" --json --quiet
  timed "$out/narrow-$race" java -jar "$jar" explore "$race" --points "auto@dev.jfail.kernel.${part[$race]}.*" \
        --budget "$budget" --seed "$seed" --json --quiet
done
for race in "${races[@]}"; do
  echo "fixed: $race" >&2
  timed "$out/fixed-auto-$race" java -jar "$jar" explore "$race" --variant fixed --points auto --budget "$budget" --seed "$seed" --json --quiet
  timed "$out/fixed-narrow-$race" java -jar "$jar" explore "$race" --variant fixed --points "auto@dev.jfail.kernel.${part[$race]}.*" \
        --budget "$budget" --seed "$seed" --json --quiet
done

python3 - "$out" "$budget" "$bound" "${races[@]}" <<'PY'
import json, sys
out, budget, bound, races = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
def load(name):
    try:
        return json.loads(open(f"{out}/{name}").read()), float(open(f"{out}/{name}.wall").read())
    except (ValueError, OSError):
        return None, None
def cell(name):
    d, wall = load(name)
    if d is None:
        return "no result: the process ran past " + str(bound) + " s (a run that never ended)"
    if not d["found"]:
        return f"not found in {d['totalSeconds']:.0f} s, {d['totalRuns']} runs ({len(d['reached'])} points reached)"
    first = wall - (d["totalSeconds"] - d["seconds"])
    fp = d["failpoints"]
    pieces = fp.count(";") + 1 if fp else 0
    shown = f"`{fp}`" if len(fp) < 160 else f"{pieces} points set ({d['firstStrategy']}), not shrunk below that"
    return (f"{first:.1f} s, {d['runs']} runs; {shown} ({100 * d['rate']:.0f}% of {d['rateRuns']}); "
            f"{len(d['reached'])} points reached")
def fixed(name):
    d, wall = load(name)
    if d is None:
        return "no result: the process ran past " + str(bound) + " s (a run that never ended)"
    if not d["found"]:
        return f"nothing found in {d['totalRuns']} runs"
    return f"FALSE ALARM after {d['runs']} runs: {d['firstStrategy']}, {d['firstReport'].splitlines()[0] if d['firstReport'] else ''}"
print(f"| race | automatic points | the race's part's automatic points | declared points | fixed, automatic points | fixed, the race's part |")
print("|---|---|---|---|---|---|")
for race in races:
    print(f"| {race} | {cell('auto-' + race)} | {cell('narrow-' + race)} | {cell('declared-' + race)} | "
          f"{fixed('fixed-auto-' + race)} | {fixed('fixed-narrow-' + race)} |")
print(f"\nbudget {budget} per search (shrinking up to as long again); time to first symptom is wall time from the JVM's start")
PY
