package dev.jfail.junit;

import dev.jfail.FailPoints;
import dev.jfail.Hold;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * The mistakes a newcomer makes first, each answered in the failure: checked by running inner test
 * classes with JUnit's EngineTestKit.
 */
@Timeout(120)
class NewcomerMistakesTest {

    @BeforeEach
    @AfterEach
    void clean() {
        FailPoints.reset();
    }

    static EngineExecutionResults run(Map<String, String> configuration, Class<?>... tests) {
        return EngineTestKit.engine("junit-jupiter").configurationParameters(configuration)
                .selectors(Arrays.stream(tests).map(t -> selectClass(t)).toArray(org.junit.platform.engine.DiscoverySelector[]::new))
                .execute();
    }

    static Throwable failure(EngineExecutionResults results) {
        List<Event> failed = results.testEvents().failed().list();
        assertEquals(1, failed.size(), () -> "failures: " + failed);
        return failed.get(0).getPayload(TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow();
    }

    static List<String> hints(Throwable failure) {
        return Arrays.stream(failure.getSuppressed()).map(Throwable::getMessage).toList();
    }

    // --- 1. a typo'd point on a test that fails for it

    static class TypoAndFailure {
        @Test
        @WithFailPoints("junit_gtae=return(1)")
        void expectsTheInjectedFailure() {
            assertEquals(1, Gate.pass());
        }
    }

    @Test
    void aFailingTestWhosePointNeverFiredSaysSoWithTheCloseNamesBeforeTheSeed() {
        Gate.pass(); // the class that declares junit_gate is loaded
        Throwable failure = failure(run(Map.of(), TypoAndFailure.class));
        List<String> hints = hints(failure);
        assertTrue(hints.size() >= 2, () -> "hints: " + hints);
        assertEquals("jfail: failpoints never fired: junit_gtae (never reached; no loaded code declares it (did you mean junit_gate?));"
                + " the failure did not come through them (a misspelt or undeclared point?)", hints.get(0));
        assertTrue(hints.get(1).contains("failed with failpoint seed"), () -> "hints: " + hints);
    }

    // --- 2. this extension's annotations on a Spock spec

    @Test
    void jfailJUnitAnnotationsOnASpockFeatureFailItNamingTheSpockImport() {
        spock.util.EmbeddedSpecRunner runner = new spock.util.EmbeddedSpecRunner();
        runner.setThrowFailure(false);
        runner.addClassImport(WithFailPoints.class);
        var result = runner.runWithImports("""
                class Inner extends Specification {
                    @WithFailPoints('junit_gate=return(1)')
                    def "uses the JUnit annotation"() {
                        expect:
                        true
                    }
                }
                """);
        assertEquals(1, result.getFailureCount());
        assertEquals("jfail: 'uses the JUnit annotation' carries @dev.jfail.junit.WithFailPoints, JUnit 5's annotation,"
                + " which Spock ignores: import dev.jfail.spock.WithFailPoints instead", result.getFailures().get(0).getException().getMessage());
    }

    // --- 3. the facade, on a name nobody declares

    @Test
    void settingANameNoLoadedCodeDeclaresWarnsOncePerNameWithTheCloseNames() {
        Gate.pass();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream saved = System.err;
        System.setErr(new java.io.PrintStream(err, true));
        try {
            FailPoints.set("junit_gaet", "return(1)");
            FailPoints.set("junit_gaet", "return(2)");
            FailPoints.setAll("junit_secnd_point=yield;junit_gate=return(1)");
            FailPoints.set("junit_gate", "return(3)");
        } finally {
            System.setErr(saved);
        }
        assertEquals(List.of(
                "jfail: warning: no loaded code declares junit_gaet (set anyway: a class that declares it may load later); did you mean junit_gate?",
                "jfail: warning: no loaded code declares junit_secnd_point (set anyway: a class that declares it may load later); did you mean junit_second_point?"),
                err.toString().lines().toList());
    }

    // --- 4. a hold test run against the fixed code

    @WithFailPoints
    static class HoldAfterTheFix {
        @Test
        void secondCallOnTheTestThread() {
            FixedCache cache = new FixedCache();
            try (Hold first = FailPoints.holdAt("junit_cache_missed")) {
                new Thread(cache::price, "first-caller").start();
                first.awaitHeld();
                cache.price(); // waits for the held caller's lock: only the watch can end this
            }
        }
    }

    @Test
    void aTestWhoseThreadWaitsForAHeldThreadIsReleasedAndFailsNamingBoth() {
        Throwable failure = failure(run(Map.of(), HoldAfterTheFix.class));
        String first = failure.getMessage().lines().findFirst().orElseThrow();
        assertTrue(first.startsWith("jfail: the test's thread waits for a thread jfail holds, and only the test could release it: \""),
                first);
        assertTrue(first.contains("\" is blocked on dev.jfail.junit.FixedCache@"), first);
        assertTrue(first.contains(" owned by \"first-caller\", which jfail holds at junit_cache_missed; released the holds"), first);
        assertTrue(failure.getMessage().contains("\n\"first-caller\" WAITING\n\tat "), failure.getMessage());
        assertTrue(failure.getMessage().contains("dev.jfail.junit.FixedCache.missed("), failure.getMessage());
    }

    @WithFailPoints
    static class HoldTestOfTheFix {
        @Test
        void theSecondCallBlocksUntilTheFirstIsReleased() throws Exception {
            FixedCache cache = new FixedCache();
            try (Hold first = FailPoints.holdAt("junit_cache_missed")) {
                new Thread(cache::price, "first-caller").start();
                first.awaitHeld();
                Thread second = new Thread(cache::price, "second-caller");
                second.start();
                await().until(second::getState, state -> state == Thread.State.BLOCKED); // the fix makes it wait
                Thread.sleep(500); // and the watch leaves it alone
                first.release();
                second.join();
            }
        }
    }

    @Test
    void anotherThreadBlockedOnAHeldThreadIsWhatAHoldTestChecks() {
        run(Map.of(), HoldTestOfTheFix.class).testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
    }

    @WithFailPoints
    static class HoldForgotten {
        @Test
        void joinsTheHeldThread() throws InterruptedException {
            Thread worker = new Thread(Gate::pass, "worker");
            FailPoints.holdAt("junit_gate");
            worker.start();
            worker.join(); // waits for nobody's lock: only the patience ends it
        }
    }

    @Test
    void aTestPastItsPatienceWithThreadsHeldIsReleasedAndFails() {
        System.setProperty("jfail.testPatience", "2");
        Throwable failure;
        try {
            failure = failure(run(Map.of(), HoldForgotten.class));
        } finally {
            System.clearProperty("jfail.testPatience");
        }
        String first = failure.getMessage().lines().findFirst().orElseThrow();
        assertTrue(first.startsWith("jfail: the test ran past its patience of 2 s (-Djfail.testPatience=SECONDS) with \"worker\" at"
                + " junit_gate still held; its thread \""), first);
        assertTrue(failure.getMessage().contains("dev.jfail.junit.Gate.pass("), failure.getMessage());
    }

    // --- 6. parallel execution: a plain test never runs beside a jfail test

    static final java.util.concurrent.CountDownLatch ARMED = new java.util.concurrent.CountDownLatch(1);
    static final java.util.concurrent.CountDownLatch PLAIN_RAN = new java.util.concurrent.CountDownLatch(1);
    static final Map<String, String> PLAIN_SAW = new java.util.concurrent.ConcurrentHashMap<>();

    @WithFailPoints("junit_gate=return(1)")
    static class ArmsThePoint {
        @Test
        void waitsForThePlainTestWhileArmed() throws InterruptedException {
            assertEquals(1, Gate.pass());
            ARMED.countDown();
            PLAIN_RAN.await(3, java.util.concurrent.TimeUnit.SECONDS); // beside it, the plain test would run now
        }
    }

    static class Plain {
        @Test
        void callsTheSameCode() throws InterruptedException {
            ARMED.await(3, java.util.concurrent.TimeUnit.SECONDS); // beside it, the jfail test would have armed its point
            PLAIN_SAW.put("junit_gate", FailPoints.get("junit_gate"));
            PLAIN_RAN.countDown();
        }
    }

    @Test
    void underParallelExecutionAPlainTestNeverMeetsAJfailTestsSettings() {
        EngineExecutionResults results = run(Map.of(
                "junit.jupiter.execution.parallel.enabled", "true",
                "junit.jupiter.execution.parallel.mode.default", "concurrent",
                "junit.jupiter.execution.parallel.mode.classes.default", "concurrent",
                "junit.jupiter.execution.parallel.config.strategy", "fixed",
                "junit.jupiter.execution.parallel.config.fixed.parallelism", "4"), ArmsThePoint.class, Plain.class);
        results.testEvents().assertStatistics(s -> s.succeeded(2).failed(0));
        assertEquals("off", PLAIN_SAW.get("junit_gate"));
    }
}
