#!/usr/bin/env bash
# Races in real libraries (explore-libraries/; docs/explore.md, "Races in real libraries"): per race,
# the @Explore workload explored with its 60-second budget over the points of the library's code
# only (profile `explore`), the correct workload (or the fixed version) explored the same way, the
# handed-back test's rate (20 repetitions), and the workload's rate with no failpoint set.
# Prints a Markdown table; each run's Maven log is kept in bench/target/explore-libraries/.
# Usage: bench/explore-libraries.sh [PROFILE]   (after `mvn -B -ntp install -DskipTests` here)
#   PROFILE: explore (default: auto@ on the libraries' packages, push-button) or explore-declared (a dozen
#   points declared by hand on the libraries' methods, the right ones among decoys)
set -euo pipefail
cd "$(dirname "$0")/.."
profile=${1:-explore}
out=bench/target/explore-libraries-$profile
rm -rf "$out" && mkdir -p "$out"
mvnl() { mvn -B -ntp -f explore-libraries/pom.xml "$@"; }
mvnl -q test-compile > "$out/compile.log" 2>&1 || { cat "$out/compile.log" >&2; exit 1; }

explore() { # $1: a name for the log; $2: the @Explore method; rest: Maven flags
  local name=$1 method=$2; shift 2
  echo "exploring: $name ($method $*)" >&2
  local start=$EPOCHREALTIME
  mvnl test -P"$profile" -Dtest="LibraryRacesExploration#$method" -Dsurefire.failIfNoSpecifiedTests=false "$@" \
    > "$out/$name.log" 2>&1 || true
  awk -v s="$start" -v e="$EPOCHREALTIME" 'BEGIN {printf "%.1f\n", e - s}' > "$out/$name.wall"
}

# race | library | the workload's @Explore | its correct twin's (or the same, on the fixed version) | flags for the twin
races=(
  "log4j-41214|log4j 1.2.15|log4j_nested_logging_never_deadlocks|correct_log4j_message_that_does_not_log|"
  "log4j-async|log4j 1.2.15|log4j_async_appender_logs_what_was_logged|log4j_async_appender_logs_what_was_logged|-Dlog4j.version=1.2.16"
  "pool2-426|commons-pool2 2.13.1|pool2_concurrent_addObject_respects_maxIdle|correct_pool2_synchronized_pool_respects_maxIdle|"
)
for r in "${races[@]}"; do
  IFS='|' read -r name lib buggy good flags <<< "$r"
  explore "$name" "$buggy"
  # shellcheck disable=SC2086
  explore "$name-good" "$good" $flags
done

# examples/: a rare race in plain code (Seats), explored push-button (auto@ on the annotation)
for m in a_seat_is_booked_once a_seat_booked_atomically_is_booked_once; do
  echo "exploring: examples $m" >&2
  start=$EPOCHREALTIME
  mvn -B -ntp -f examples/pom.xml test -Dtest="SeatsExploration#$m" -Dsurefire.failIfNoSpecifiedTests=false \
    > "$out/examples-$m.log" 2>&1 || true
  awk -v s="$start" -v e="$EPOCHREALTIME" 'BEGIN {printf "%.1f\n", e - s}' > "$out/examples-$m.wall"
done

echo "the handed-back tests, 20 repetitions each" >&2
mvnl test -Dtest=HandedBack -Dsurefire.failIfNoSpecifiedTests=false > "$out/handed-back.log" 2>&1 || true
cp explore-libraries/target/surefire-reports/TEST-com.example.libraries.HandedBack.xml "$out/" 2>/dev/null || true
echo "the workloads with no failpoint set, 200 runs each" >&2
mvnl test -Dtest=PlainRates -Dsurefire.failIfNoSpecifiedTests=false > "$out/plain.log" 2>&1 || true

python3 - "$out" "${races[@]}" <<'PY'
import re, sys, xml.etree.ElementTree as ET
out, races = sys.argv[1], [r.split("|") for r in sys.argv[2:]]
def log(name):
    return open(f"{out}/{name}.log", errors="replace").read()
def explored(name, method):
    text, wall = log(name), open(f"{out}/{name}.wall").read().strip()
    m = re.search(r"jfail explore: '" + method + r"\(\)' fails under (.*?) in (\d+) of (\d+) runs[^\n]*", text)
    if m:
        first = re.search(r"first failure after (\d+) runs \(([\d.]+ ?m?s)\)", text)
        return dict(found=True, setting=m.group(1), rate=f"{m.group(2)} of {m.group(3)}", line=m.group(0),
                    first=f"{first.group(2)}, {first.group(1)} runs" if first else "?", wall=wall)
    m = re.search(r"jfail explore: '" + method + r"\(\)': no symptom in (\d+) runs \(([\d.]+ s)\)", text)
    if m:
        return dict(found=False, runs=m.group(1), seconds=m.group(2), wall=wall)
    return dict(found=None, wall=wall)
handed = {}
try:
    for case in ET.parse(f"{out}/TEST-com.example.libraries.HandedBack.xml").getroot().iter("testcase"):
        method = case.get("name").split("(")[0].split("[")[0].strip()
        failed = case.find("failure") is not None or case.find("error") is not None
        n, f = handed.get(method, (0, 0))
        handed[method] = (n + 1, f + failed)
except (OSError, ET.ParseError):
    pass
plain = dict(re.findall(r"plain (\S+): (\d+ of \d+) runs fail", log("plain")))
plain_of = {"log4j-41214": "log4j-nested-logging", "log4j-async": "log4j-async-appender", "pool2-426": "pool2-addObject"}
print("| race | library | no failpoints | found in 60 s | first symptom (explorer's time, runs) | shrunk setting | its rate | the kept handed-back test (`HandedBack`) fails | correct workload / fixed version, 60 s |")
print("|---|---|---|---|---|---|---|---|---|")
for name, lib, buggy, good, flags in races:
    b, g = explored(name, buggy), explored(name + "-good", good)
    h = next((v for k, v in handed.items() if k.startswith(buggy) or buggy.startswith(k)), None)
    found = "yes" if b["found"] else ("no" if b["found"] is False else "? (see log)")
    goodtext = ("nothing found in %s runs (%s)" % (g["runs"], g["seconds"]) if g["found"] is False
                else "FOUND: " + g["setting"] if g["found"] else "? (see log)")
    if flags:
        goodtext += " on " + flags.replace("-Dlog4j.version=", "log4j ")
    print(f"| {name} | {lib} | {plain.get(plain_of[name], '?')} | {found} (JVM {b['wall']} s) | "
          f"{b.get('first', '-')} | `{b.get('setting', '-')}` | {b.get('rate', '-')} | "
          f"{'%d of %d' % (h[1], h[0]) if h else '?'} | {goodtext} |")
b, g = explored("examples-a_seat_is_booked_once", "a_seat_is_booked_once"), \
       explored("examples-a_seat_booked_atomically_is_booked_once", "a_seat_booked_atomically_is_booked_once")
print(f"\nexamples/ Seats (auto@com.example.tickets.Seats): found: {'yes' if b['found'] else 'no'} (JVM {b['wall']} s), "
      f"first symptom {b.get('first', '-')}, shrunk `{b.get('setting', '-')}` in {b.get('rate', '-')} runs; "
      f"atomic booking: " + (f"nothing found in {g['runs']} runs ({g['seconds']})" if g['found'] is False
                              else "FOUND " + g.get('setting', '?') if g['found'] else "? (see log)"))
for name, lib, buggy, good, flags in races:
    b = explored(name, buggy)
    if b["found"]:
        print(f"\n{name}: {b['line']}")
PY
