package dev.jfail.junit;

import dev.jfail.FailPoints;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * A failed test that crossed an armed point gets its timeline and replay file in
 * target/jfail-reports/, named in the failure; {@link Replay} plays it again with the recorded decisions.
 */
@Timeout(120)
class FailureReportTest {

    static final Map<String, List<Integer>> SEEN = new ConcurrentHashMap<>();
    private static final Path REPORTS = Path.of("target", "jfail-reports");

    @BeforeEach
    @AfterEach
    void clean() {
        FailPoints.reset();
    }

    private static Throwable failureOf(Class<?> tests) {
        List<Event> failed = EngineTestKit.engine("junit-jupiter").selectors(selectClass(tests)).execute()
                .testEvents().failed().list();
        assertEquals(1, failed.size(), () -> "failures: " + failed);
        return failed.get(0).getPayload(TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow();
    }

    @WithFailPoints("junit_gate=50%return(1)")
    static class Failing {
        @Test
        void crossesThePointThenFails() {
            List<Integer> got = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                got.add(Gate.pass());
            }
            SEEN.put("recorded", got);
            throw new AssertionError("the race happened");
        }
    }

    @WithFailPoints("junit_second_point=return(2)")
    static class FailingWithoutCrossing {
        @Test
        void failsWithoutTouchingAnArmedPoint() {
            throw new AssertionError("plain failure");
        }
    }

    static class Replaying {
        @Test
        @Replay("target/jfail-reports/Failing-crossesThePointThenFails.replay")
        void replaysTheRecordedDecisions() {
            FailPoints.seed(12345); // another seed: the decisions still come from the record
            List<Integer> got = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                got.add(Gate.pass());
            }
            SEEN.put("replayed", got);
        }
    }

    @Test
    void theFailureNamesTheTimelineAndTheReplayFileAndHowToReplayIt() throws Exception {
        Files.deleteIfExists(REPORTS.resolve("Failing-crossesThePointThenFails.html"));
        Throwable failure = failureOf(Failing.class);
        String hints = String.join("\n", Arrays.stream(failure.getSuppressed()).map(Throwable::getMessage).toList());
        Path page = REPORTS.resolve("Failing-crossesThePointThenFails.html").toAbsolutePath();
        Path replay = REPORTS.resolve("Failing-crossesThePointThenFails.replay").toAbsolutePath();
        assertTrue(hints.contains("jfail: timeline of this failure: " + page + "; replay file: " + replay
                + "; to replay it in its recorded order: @dev.jfail.junit.Replay(\"target/jfail-reports/"
                + "Failing-crossesThePointThenFails.replay\")"), hints);
        String html = Files.readString(page);
        assertTrue(html.contains("junit_gate") && html.contains("the race happened"), "the page has the point and the failure");
        String file = Files.readString(replay);
        assertTrue(file.contains("setting\tjunit_gate=50%return(1)\n"), file);
        assertEquals(30, file.lines().filter(l -> l.startsWith("cross\t")).count(), file);
    }

    @WithFailPoints("junit_gate=return(1)")
    static class FailingRepeatedly {
        @org.junit.jupiter.api.RepeatedTest(2)
        void crossesThenFails(org.junit.jupiter.api.RepetitionInfo repetition) {
            Gate.pass();
            throw new AssertionError("repetition " + repetition.getCurrentRepetition());
        }
    }

    @Test
    void eachFailingRepetitionHasItsOwnReport() throws Exception {
        for (int i = 1; i <= 2; i++) {
            Files.deleteIfExists(REPORTS.resolve("FailingRepeatedly-crossesThenFails-" + i + ".html"));
        }
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(FailingRepeatedly.class)).execute()
                .testEvents().assertStatistics(s -> s.failed(2));
        for (int i = 1; i <= 2; i++) {
            String html = Files.readString(REPORTS.resolve("FailingRepeatedly-crossesThenFails-" + i + ".html"));
            assertTrue(html.contains("repetition " + i), "the page of repetition " + i + " has its own failure");
        }
    }

    @Test
    void aFailureThatTouchedNoArmedPointWritesNothing() {
        Throwable failure = failureOf(FailingWithoutCrossing.class);
        assertTrue(Arrays.stream(failure.getSuppressed()).noneMatch(t -> t.getMessage().contains("timeline")));
        assertTrue(!Files.exists(REPORTS.resolve("FailingWithoutCrossing-failsWithoutTouchingAnArmedPoint.html")));
    }

    @Test
    void replayForcesTheRecordedDecisions() {
        failureOf(Failing.class);
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(Replaying.class)).execute()
                .testEvents().assertStatistics(s -> s.succeeded(1));
        assertEquals(SEEN.get("recorded"), SEEN.get("replayed"));
        assertTrue(SEEN.get("recorded").contains(1) && SEEN.get("recorded").contains(0), "both decisions occur: "
                + SEEN.get("recorded"));
    }
}
