package dev.jfail.trace;

import dev.jfail.core.FailPointRegistry;
import dev.jfail.core.FailPointState;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A JFR recording holds the failpoint events under dev.jfail., with their fields; an off point adds none. */
@Timeout(60)
class JfrEventsTest {

    private final FailPointRegistry registry = new FailPointRegistry(5);
    private final FailPointState point = registry.point("jfr_point");
    private final FailPointState quiet = registry.point("jfr_quiet");

    @TempDir
    Path dir;

    @AfterEach
    void reset() {
        registry.reset();
    }

    @Test
    void aRecordingShowsEveryKindOfFailpointEvent() throws IOException, InterruptedException {
        List<RecordedEvent> events;
        try (Recording recording = new Recording()) {
            for (String type : List.of("FailPointEvaluated", "FailPointFired", "FailPointSlept", "FailPointPaused",
                    "FailPointPanicked")) {
                recording.enable("dev.jfail." + type).withThreshold(Duration.ZERO);
            }
            recording.start();
            for (int i = 0; i < 10; i++) {
                quiet.evaluate("Quiet.m()"); // off: nothing
            }
            registry.set("jfr_point", "return(7)");
            point.evaluate("Site.m()");
            registry.set("jfr_point", "sleep(5)");
            point.evaluate("Site.m()");
            registry.set("jfr_point", "panic");
            point.evaluate("Site.m()");
            registry.set("jfr_point", "pause");
            Thread t = new Thread(() -> point.evaluate("Site.m()"), "jfr-pauser");
            t.start();
            org.awaitility.Awaitility.await().until(() -> registry.status("jfr_point").paused().size() == 1);
            registry.set("jfr_point", "off");
            t.join(10_000);
            recording.stop();
            Path file = dir.resolve("run.jfr");
            recording.dump(file);
            events = RecordingFile.readAllEvents(file);
        }
        Map<String, Long> byType = events.stream().collect(Collectors.groupingBy(e -> e.getEventType().getName(),
                Collectors.counting()));
        assertEquals(Map.of("dev.jfail.FailPointEvaluated", 4L, "dev.jfail.FailPointFired", 4L,
                "dev.jfail.FailPointSlept", 1L, "dev.jfail.FailPointPaused", 1L, "dev.jfail.FailPointPanicked", 1L), byType);
        assertTrue(events.stream().noneMatch(e -> "jfr_quiet".equals(e.getString("point"))));
        RecordedEvent fired = events.stream().filter(e -> e.getEventType().getName().equals("dev.jfail.FailPointFired"))
                .filter(e -> e.getString("action").equals("return(7)")).findFirst().orElseThrow();
        assertEquals("Site.m()", fired.getString("site"));
        assertEquals("7", fired.getString("returnValue"));
        assertEquals(7L, fired.getLong("argument"));
        assertTrue(fired.getStackTrace() != null && !fired.getStackTrace().getFrames().isEmpty());
        RecordedEvent slept = events.stream().filter(e -> e.getEventType().getName().equals("dev.jfail.FailPointSlept"))
                .findFirst().orElseThrow();
        assertTrue(slept.getDuration().toMillis() >= 5, "slept " + slept.getDuration());
        assertEquals("sleep(5)", slept.getString("action"));
        RecordedEvent paused = events.stream().filter(e -> e.getEventType().getName().equals("dev.jfail.FailPointPaused"))
                .findFirst().orElseThrow();
        assertEquals("jfr-pauser", paused.getThread().getJavaName());
        RecordedEvent evaluated = events.stream().filter(e -> e.getEventType().getName().equals("dev.jfail.FailPointEvaluated"))
                .findFirst().orElseThrow();
        assertEquals("0:return(7)", evaluated.getString("decision"));
        assertEquals("return(7)", evaluated.getString("setting"));
        assertTrue(evaluated.getLong("sequence") > 0);
    }
}
