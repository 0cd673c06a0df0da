#!/usr/bin/env bash
# Decision 0001, measured again: a JVM's whole run of a two-method class whose methods carry
# @FailPoint, with no agent, with jfail's agent (ASM checks), and with a minimal ByteBuddy
# AgentBuilder + Advice agent inserting the same kind of check. Contenders alternate, N runs each
# (default 11); prints the median and fastest of each, the ratio to no agent, and how many
# ByteBuddy classes each loaded. Usage: bench/advice-vs-asm.sh [N]   (after mvn -B -q -DskipTests package)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-11}
agent=agent/target/jfail-agent.jar
[ -f "$agent" ] || { echo "build first: mvn -B -q -DskipTests package" >&2; exit 1; }
version=$(sed -n 's:.*<bytebuddy.version>\(.*\)</bytebuddy.version>.*:\1:p' pom.xml)
bb="${MAVEN_REPO:-$HOME/.m2/repository}/net/bytebuddy/byte-buddy/$version/byte-buddy-$version.jar"
[ -f "$bb" ] || { echo "no $bb: run mvn -B -q -DskipTests package first (it downloads ByteBuddy)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/app" "$work/advice"
cat > "$work/app/Hello.java" <<'JAVA'
import dev.jfail.FailPoint;
public class Hello {
    @FailPoint("hello_greet") static String greet(String who) { return "hello, " + who; }
    @FailPoint("hello_count") static int count(String s) { return s.length(); }
    public static void main(String[] args) { System.out.println(greet("world") + " " + count("world")); }
}
JAVA
cat > "$work/advice/AdviceAgent.java" <<'JAVA'
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import java.lang.instrument.Instrumentation;
import static net.bytebuddy.matcher.ElementMatchers.*;
public class AdviceAgent {
    public static volatile boolean armed;   // the check: one volatile read, as a failpoint that is off
    public static void premain(String arg, Instrumentation inst) {
        new AgentBuilder.Default()
                .type(declaresMethod(isAnnotatedWith(named("dev.jfail.FailPoint"))))
                .transform((builder, type, loader, module, domain) ->
                        builder.visit(Advice.to(Check.class).on(isAnnotatedWith(named("dev.jfail.FailPoint")))))
                .installOn(inst);
    }
    public static class Check {
        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static boolean enter() { return armed; }
    }
}
JAVA
javac -d "$work/app" -cp "$agent" "$work/app/Hello.java"
javac -d "$work/advice" -cp "$bb" "$work/advice/AdviceAgent.java"
printf 'Premain-Class: AdviceAgent\nCan-Retransform-Classes: true\nClass-Path: %s\n' "$bb" > "$work/manifest"
jar cfm "$work/advice.jar" "$work/manifest" -C "$work/advice" .

declare -A times
contenders=(none jfail advice)
opts_none=()
opts_jfail=("-javaagent:$agent")
opts_advice=("-javaagent:$work/advice.jar")
for _ in $(seq "$runs"); do
  for c in "${contenders[@]}"; do
    declare -n opts="opts_$c"
    start=$EPOCHREALTIME
    java "${opts[@]}" -cp "$work/app:$agent" Hello > /dev/null
    end=$EPOCHREALTIME
    times[$c]+="$(awk -v s="$start" -v e="$end" 'BEGIN {printf "%.1f", (e - s) * 1000}') "
  done
done
median() { tr ' ' '\n' <<< "$1" | grep . | sort -n | awk '{t[NR]=$1} END {print t[int((NR+1)/2)]}'; }
fastest() { tr ' ' '\n' <<< "$1" | grep . | sort -n | head -1; }
base=$(median "${times[none]}")
printf '%-8s %10s %10s %8s %12s\n' contender median_ms fastest_ms ratio bytebuddy_classes
for c in "${contenders[@]}"; do
  declare -n opts="opts_$c"
  loaded=$(java "${opts[@]}" -Xlog:class+load -cp "$work/app:$agent" Hello | grep -c 'net\.bytebuddy\.\|shaded\.bytebuddy\.[a-z]*\.[A-Z]' || true)
  m=$(median "${times[$c]}")
  printf '%-8s %10s %10s %8s %12s\n' "$c" "$m" "$(fastest "${times[$c]}")" "$(awk -v a="$m" -v b="$base" 'BEGIN {printf "%.2f", a / b}')" "$loaded"
done
