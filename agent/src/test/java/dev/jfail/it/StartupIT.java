package dev.jfail.it;

import dev.jfail.it.fixture.Plain;
import dev.jfail.it.fixture.Probe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Failpoints set when the JVM starts: agent argument, FAILPOINTS, -Ddebug.fail_point.*, -Djfail.points. */
@Timeout(120)
class StartupIT {

    private static final String THIRD = "third_version@dev.jfail.it.fixture.ThirdParty#version";

    private static Jvm.Result probe(String agentArgument, Map<String, String> environment, String... jvmOptions) {
        List<String> command = new ArrayList<>(List.of(jvmOptions));
        command.add("-javaagent:" + Jvm.agentJar() + (agentArgument == null ? "" : "=" + agentArgument));
        command.addAll(List.of("-cp", Jvm.fixtures().toString(), Probe.class.getName()));
        Jvm.Result r = Jvm.run(command, environment);
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.stdout().contains("done"), r.toString());
        return r;
    }

    @Test
    void withoutSettingsEveryPointIsOff() {
        Jvm.Result r = probe(null, Map.of());
        assertEquals(List.of("tick=1", "tock=ran", "third=1", "points={tick=off, tock=off}", "done"), r.stdout());
        assertEquals(List.of(), r.stderr());
    }

    @Test
    void theAgentArgumentSetsPoints() {
        Jvm.Result r = probe("tick=return(7);tock=return", Map.of());
        assertEquals(List.of("tick=7", "tock=skipped", "third=1", "points={tick=return(7), tock=return}", "done"), r.stdout());
    }

    @Test
    void theEnvironmentVariableSetsPoints() {
        Jvm.Result r = probe(null, Map.of("FAILPOINTS", "debug.fail_point.tick=return(8); tock=return"));
        assertTrue(r.stdout().containsAll(List.of("tick=8", "tock=skipped")), r.toString());
    }

    @Test
    void systemPropertiesSetPoints() {
        Jvm.Result r = probe(null, Map.of(), "-Ddebug.fail_point.tick=1*return(9)->off");
        assertTrue(r.stdout().contains("tick=9"), r.toString());
        assertTrue(r.stdout().contains("points={tick=off, tock=off}"), "the count was used up: " + r);
    }

    @Test
    void theAgentArgumentWinsOverPropertiesWhichWinOverTheEnvironment() {
        Jvm.Result r = probe("tick=return(3)", Map.of("FAILPOINTS", "tick=return(1);tock=return"),
                "-Ddebug.fail_point.tick=return(2)");
        assertTrue(r.stdout().containsAll(List.of("tick=3", "tock=skipped")), r.toString());
    }

    @Test
    void badSettingsAreOneLineEachAndTheJvmRunsOn() {
        Jvm.Result r = probe("tick=return(", Map.of("FAILPOINTS", "tock=yeild"), "-Ddebug.fail_point.tick=sleep(x)");
        assertEquals(List.of("tick=1", "tock=ran", "third=1", "points={tick=off, tock=off}", "done"), r.stdout());
        assertEquals(3, r.stderr().size(), r.toString());
        assertTrue(r.stderr().get(0).startsWith("jfail: FAILPOINTS: "), r.toString());
        assertTrue(r.stderr().get(1).startsWith("jfail: -Ddebug.fail_point.tick=sleep(x): "), r.toString());
        assertTrue(r.stderr().get(2).startsWith("jfail: agent argument: "), r.toString());
    }

    @Test
    void declarationsFromThePropertyAndTheArgumentInstrumentThirdPartyCode() {
        Jvm.Result byProperty = probe("third_version=return(4)", Map.of(), "-Djfail.points=" + THIRD + "()I");
        assertTrue(byProperty.stdout().contains("third=4"), byProperty.toString());
        Jvm.Result byArgument = probe(THIRD + "()I;third_version=return(5)", Map.of());
        assertTrue(byArgument.stdout().contains("third=5"), byArgument.toString());
        Jvm.Result bad = probe("nonsense@;tick=return(2)", Map.of());
        assertTrue(bad.err().startsWith("jfail: agent argument: bad failpoint declaration 'nonsense@'"), bad.toString());
        assertTrue(bad.stdout().contains("tick=1"), "the whole argument is ignored: " + bad);
    }

    @Test
    void aSecondLoadOfTheAgentDoesNotInstrumentTwiceButAppliesItsArgument() {
        Jvm.Result r = probe("tick=return(6)", Map.of(), "-Djfail.verbose=true", "-javaagent:" + Jvm.agentJar() + "=tock=return");
        assertTrue(r.stdout().containsAll(List.of("tick=6", "tock=skipped")), r.toString());
        assertEquals(1, r.stderr().stream().filter(l -> l.contains("instrumented dev.jfail.it.fixture.Ticker.tick()")).count(),
                r.toString());
    }

    @Test
    void onlyFailPointMethodsAreInstrumented() {
        Jvm.Result r = probe(null, Map.of(), "-Djfail.verbose=true");
        assertEquals(List.of("jfail: instrumented dev.jfail.it.fixture.Ticker.tick() as fail point tick",
                "jfail: instrumented dev.jfail.it.fixture.Ticker.tock() as fail point tock"),
                r.stderr().stream().filter(l -> !l.startsWith("jfail: agent ")).sorted().toList());
        assertTrue(r.stderr().stream().anyMatch(l -> l.startsWith("jfail: agent ") && l.contains(" installed from ")), r.toString());
    }

    /**
     * ASM is made ready on a background thread at start (so that the first class with a failpoint
     * does not wait for it); a JVM without failpoints instruments nothing and loads nothing else
     * of ByteBuddy.
     */
    @Test
    void aJvmWithoutFailPointsInstrumentsNothingAndLoadsNoByteBuddyBeyondAsm() {
        Jvm.Result r = Jvm.run(List.of("-javaagent:" + Jvm.agentJar(), "-Djfail.verbose=true", "-Xlog:class+load=info", "-cp",
                Jvm.fixtures().toString(), Plain.class.getName(), "a", "b"));
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.stdout().contains("plain 3"), r.toString());
        assertTrue(r.stdout().stream().anyMatch(l -> l.contains("dev.jfail.tooling.FailPointTransformer")), "the agent ran");
        assertEquals(List.of(), r.stderr().stream().filter(l -> l.contains("instrumented")).toList());
        assertEquals(List.of(), r.stdout().stream()
                .filter(l -> l.contains("dev.jfail.shaded.bytebuddy") && !l.contains("dev.jfail.shaded.bytebuddy.jar.asm.")).toList());
    }

    @Test
    void theJarRunsAsAnAgentOnItsOwnWithRelocatedAsmAndNoMoreOfByteBuddy() {
        Jvm.Result r = probe("tick=return(2)", Map.of(), "-Xlog:class+load=info");
        assertTrue(r.stdout().stream().anyMatch(l -> l.contains("dev.jfail.shaded.bytebuddy.jar.asm.ClassReader ")),
                "relocated ASM used");
        assertEquals(List.of(), r.stdout().stream().filter(l -> l.contains(" net.bytebuddy.")).toList());
        // the rest of ByteBuddy (some 550 classes) would cost the start-up of every JVM with a failpoint
        assertEquals(List.of(), r.stdout().stream()
                .filter(l -> l.contains("dev.jfail.shaded.bytebuddy.") && !l.contains("dev.jfail.shaded.bytebuddy.jar.asm."))
                .toList());
    }
}
