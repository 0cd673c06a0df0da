package dev.jfail.junit;

import dev.jfail.FailPointSyntaxException;
import dev.jfail.FailPoints;
import dev.jfail.Hold;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * The JUnit 5 extension, checked by running inner test classes with JUnit's EngineTestKit (inner
 * classes: surefire does not run them itself). The inner tests record what they saw in {@link #SEEN}.
 */
@Timeout(120)
class JFailExtensionTest {

    static final Map<String, Object> SEEN = new ConcurrentHashMap<>();

    @BeforeEach
    @AfterEach
    void clean() {
        SEEN.clear();
        FailPoints.reset();
    }

    private static EngineExecutionResults run(Class<?> tests, Map<String, String> configuration) {
        return EngineTestKit.engine("junit-jupiter").configurationParameters(configuration).selectors(selectClass(tests)).execute();
    }

    private static EngineExecutionResults run(Class<?> tests) {
        return run(tests, Map.of());
    }

    private static Throwable failure(EngineExecutionResults results) {
        List<Event> failed = results.testEvents().failed().list();
        assertEquals(1, failed.size(), () -> "failures: " + failed);
        return failed.get(0).getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow();
    }

    // --- settings: applied before, reset after; repeatable; the prefix optional; a method after its class

    @WithFailPoints("junit_gate=return(1)")
    @WithFailPoints("debug.fail_point.junit_second_point=2*return(3)")
    static class Settings {
        @Test
        void classSettings() {
            SEEN.put("class", List.of(Gate.pass(), Gate.other(), FailPoints.get("junit_second_point")));
        }

        @Test
        @WithFailPoints("junit_second_point=return(9)")
        void methodOverridesItsClass() {
            SEEN.put("method", List.of(Gate.pass(), Gate.other()));
        }
    }

    @Test
    void settingsHoldDuringTheTestAndEveryPointIsOffAfterIt() {
        run(Settings.class).testEvents().assertStatistics(s -> s.succeeded(2).failed(0));
        assertEquals(List.of(1, 3, "1*return(3)"), SEEN.get("class"));
        assertEquals(List.of(1, 9), SEEN.get("method"));
        assertEquals("off", FailPoints.get("junit_gate"));
        assertEquals("off", FailPoints.get("junit_second_point"));
        assertEquals(0, Gate.pass());
    }

    // --- holds from a JUnit test

    @WithFailPoints
    static class Holding {
        @Test
        void holdsAThreadAtThePointUntilReleased() throws Exception {
            CompletableFuture<Integer> passed;
            try (Hold hold = FailPoints.holdAt("junit_gate")) {
                passed = CompletableFuture.supplyAsync(Gate::pass);
                hold.awaitHeld();
                SEEN.put("held", hold.heldThreads().size());
                SEEN.put("done while held", passed.isDone());
            }
            SEEN.put("after release", passed.get());
        }

        @Test
        void leavesAThreadPausedWhichTheResetReleases() {
            FailPoints.set("junit_second_point", "pause");
            Thread t = new Thread(Gate::other, "left paused");
            t.start();
            FailPoints.holdAt("junit_second_point").awaitHeld(); // already held: pause is on
            SEEN.put("paused thread", t);
        }
    }

    @Test
    void aHoldStopsTheThreadAndTheResetReleasesWhatATestLeftPaused() throws InterruptedException {
        run(Holding.class).testEvents().assertStatistics(s -> s.succeeded(2));
        assertEquals(1, SEEN.get("held"));
        assertEquals(false, SEEN.get("done while held"));
        assertEquals(0, SEEN.get("after release"));
        Thread left = (Thread) SEEN.get("paused thread");
        left.join(10_000);
        assertTrue(!left.isAlive(), "the reset after the test released the paused thread");
    }

    // --- never fired

    static class NeverFired {
        @Test
        @WithFailPoints("junit_gate=return(1);junit_second_point=return(1);junit_gtae=return(1)")
        void missesItsWindow() {
            Gate.pass();
        }
    }

    @Test
    void aTestWhosePointsNeverFiredFailsNamingThemAndTheCloseDeclaredNames() {
        Throwable failure = failure(run(NeverFired.class));
        assertInstanceOf(AssertionError.class, failure);
        assertEquals("failpoints never fired: junit_second_point (never reached), junit_gtae (never reached; no loaded code declares it"
                + " (did you mean junit_gate?)); the test never reached its window and proved nothing"
                + " (mark it @dev.jfail.junit.FiringOptional if that is expected)", failure.getMessage());
    }

    @FiringOptional("the point is not on this path")
    static class Optional {
        @Test
        @WithFailPoints("junit_gate=return(1)")
        void quiet() {
        }
    }

    static class OwnFailure {
        @Test
        @WithFailPoints("junit_gate=return(1)")
        void failsForItsOwnReason() {
            assertEquals(1, 2);
        }
    }

    @Test
    void firingOptionalSwitchesTheCheckOffAndAFailingTestKeepsItsOwnFailure() {
        run(Optional.class).testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
        Throwable failure = failure(run(OwnFailure.class));
        assertTrue(failure.getMessage().startsWith("expected: <1> but was: <2>"), failure.getMessage());
    }

    static class Malformed {
        @Test
        @WithFailPoints("junit_gate=50%slep(10)")
        void neverRuns() {
            SEEN.put("ran", true);
        }
    }

    @Test
    void aMalformedSettingFailsTheTestWithThePositionBeforeItRuns() {
        Throwable failure = failure(run(Malformed.class));
        assertInstanceOf(FailPointSyntaxException.class, failure);
        assertTrue(failure.getMessage().contains("column 4"), failure.getMessage());
        assertTrue(!SEEN.containsKey("ran"));
    }

    // --- seeds

    @Seed(77L)
    static class Seeded {
        @Test
        void seeded() {
            SEEN.put("seed", FailPoints.seed());
        }

        @Test
        @Seed(5L)
        void ownSeed() {
            SEEN.put("own", FailPoints.seed());
            assertEquals(1, 2);
        }
    }

    @Test
    void aSeedAppliesToTheTestAndTheRunsSeedIsBackAfterwardsAndAFailureSaysHowToReplay() {
        long runSeed = FailPoints.seed();
        Throwable failure = failure(run(Seeded.class));
        assertEquals(77L, SEEN.get("seed"));
        assertEquals(5L, SEEN.get("own"));
        assertEquals(runSeed, FailPoints.seed());
        String hint = failure.getSuppressed()[0].getMessage();
        assertEquals("jfail: 'ownSeed()' failed with failpoint seed 5; replay it with -Djfail.seed=5 or @dev.jfail.junit.Seed(5L) on the test", hint);
    }

    // --- untouched and parallel

    static class NotUsingJfail {
        @Test
        void setsAPointAndLeavesIt() {
            FailPoints.set("junit_second_point", "return(4)");
        }
    }

    @Test
    void aClassThatDoesNotUseJfailIsNeverResetByIt() {
        run(NotUsingJfail.class).testEvents().assertStatistics(s -> s.succeeded(1));
        assertEquals("return(4)", FailPoints.get("junit_second_point"));
    }

    static final AtomicInteger INSIDE = new AtomicInteger();
    static final AtomicInteger MOST = new AtomicInteger();

    @WithFailPoints("junit_gate=return(1)")
    static class Parallel {
        private void work() throws InterruptedException {
            MOST.accumulateAndGet(INSIDE.incrementAndGet(), Math::max);
            Gate.pass();
            Thread.sleep(30);
            INSIDE.decrementAndGet();
        }

        @Test void a() throws InterruptedException { work(); }
        @Test void b() throws InterruptedException { work(); }
        @Test void c() throws InterruptedException { work(); }
        @Test void d() throws InterruptedException { work(); }
    }

    @Test
    void underParallelExecutionTestsUsingJfailRunOneAtATime() {
        MOST.set(0);
        EngineExecutionResults results = run(Parallel.class, Map.of(
                "junit.jupiter.execution.parallel.enabled", "true",
                "junit.jupiter.execution.parallel.mode.default", "concurrent",
                "junit.jupiter.execution.parallel.config.strategy", "fixed",
                "junit.jupiter.execution.parallel.config.fixed.parallelism", "4"));
        results.testEvents().assertStatistics(s -> s.succeeded(4).failed(0));
        assertEquals(1, MOST.get());
    }
}
