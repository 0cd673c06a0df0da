package dev.jfail.junit;

import dev.jfail.FailPoints;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/** {@link Explore}, run through JUnit's EngineTestKit on inner test classes. */
@Timeout(120)
class ExploreTest {

    @AfterEach
    void clean() {
        FailPoints.reset();
    }

    static class Buggy {
        @Explore(budget = "20s", seed = 11)
        void two_increments_make_two() throws InterruptedException {
            assertEquals(2, Tally.twice(false));
        }
    }

    static class Fixed {
        @Explore(budget = "20s", runs = 60, seed = 11)
        void two_increments_make_two() throws InterruptedException {
            assertEquals(2, Tally.twice(true));
        }
    }

    static class BadBudget {
        @Explore(budget = "soon")
        void never_runs() {
        }
    }

    private static Throwable onlyFailure(EngineExecutionResults results) {
        List<Event> failed = results.testEvents().failed().list();
        assertEquals(1, failed.size(), () -> "failures: " + failed);
        return failed.get(0).getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow();
    }

    @Test
    void a_test_with_a_race_fails_with_the_shrunk_setting_and_the_annotations_that_keep_it() {
        Throwable failure = onlyFailure(EngineTestKit.engine("junit-jupiter").selectors(selectClass(Buggy.class)).execute());
        String message = failure.getMessage();
        assertTrue(message.startsWith("jfail explore: 'two_increments_make_two()' fails under "), message);
        // a loaded machine can lose the update in a good share of runs without any failpoint: then that is what it says
        assertTrue(message.contains("keep it as a test") && (message.contains("    @WithFailPoints(\"tally_read_done=")
                || message.contains("fails under no failpoints at all")), message);
        assertTrue(message.contains("first failure after ") && message.contains("expected: <2> but was: <1>"), message);
        assertEquals("off", FailPoints.get("tally_read_done"));
    }

    @Test
    void a_test_without_a_race_passes_after_its_budget() {
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(Fixed.class)).execute()
                .testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
    }

    @Test
    void a_bad_budget_fails_the_test_in_one_line() {
        Throwable failure = onlyFailure(EngineTestKit.engine("junit-jupiter").selectors(selectClass(BadBudget.class)).execute());
        assertEquals("budget 'soon' is not a duration (e.g. 500ms, 60s, 2m, PT1M)", failure.getMessage());
    }
}
