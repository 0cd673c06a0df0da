#!/usr/bin/env bash
# How often the examples' replication race shows WITHOUT jfail: a follower and a leader (async, the
# race) started as plain JVMs (no agent), then N times a client writes key i through the leader and,
# once told OK, reads key i from the follower at once; counts the reads that missed the write.
# (With jfail's handles, examples/ReplicationTest and ReplicationSpec force it every run.)
# Usage: bench/replication-race.sh [N] [async|sync]   (after mvn -B -q -DskipTests package)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
mode=${2:-async}
agent=agent/target/jfail-agent.jar
[ -f "$agent" ] || { echo "build first: mvn -B -q -DskipTests package" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"; [ -n "${pids:-}" ] && kill $pids 2>/dev/null || true' EXIT
src=examples/src/main/java/com/example/replication
cat > "$work/Odds.java" <<'JAVA'
import com.example.replication.Client;
public class Odds {
    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[2]);
        int stale = 0;
        try (Client writer = new Client(Integer.parseInt(args[0])); Client reader = new Client(Integer.parseInt(args[1]))) {
            for (int i = 0; i < n; i++) {
                writer.put("k" + i, "v" + i);
                if (reader.get("k" + i) == null) { stale++; }
            }
        }
        System.out.printf("without jfail: %d of %d writes read back stale from the follower (%.3f%%)%n", stale, n, 100.0 * stale / n);
    }
}
JAVA
javac -d "$work" -cp "$agent" "$src"/*.java
javac -d "$work" -cp "$work" "$work/Odds.java"
port() { for _ in $(seq 200); do p=$(sed -n 's/.*listening \([0-9]*\).*/\1/p' "$1"); [ -n "$p" ] && { echo "$p"; return; }; sleep 0.05; done; echo "no port in $1" >&2; exit 1; }
java -cp "$work:$agent" com.example.replication.Follower > "$work/follower.out" & pids="$!"
fport=$(port "$work/follower.out")
java -cp "$work:$agent" com.example.replication.Leader "$fport" "$mode" > "$work/leader.out" & pids="$pids $!"
lport=$(port "$work/leader.out")
java -cp "$work:$agent" Odds "$lport" "$fport" "$n"
