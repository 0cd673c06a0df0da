package dev.jfail.junit;

import dev.jfail.FailPoints;
import dev.jfail.Jvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * The JVMs a test launches end with it, however it ends (failed, interrupted by its timeout), and
 * everything they started with them; a failing test that reached them gets one timeline with a lane
 * group per JVM.
 */
@Timeout(180)
class LaunchedJvmsTest {

    /** Test name to the pids of the JVM it launched and of the process that JVM started. */
    static final Map<String, long[]> PIDS = new ConcurrentHashMap<>();

    static Jvm launchSpawner(String test) {
        Jvm jvm = FailPoints.launcher(Spawner.class.getName()).name("spawner").start();
        Matcher m = Pattern.compile("spawned (\\d+)").matcher(jvm.awaitOutput(Pattern.compile("spawned \\d+")));
        assertTrue(m.find());
        PIDS.put(test, new long[] {jvm.pid(), Long.parseLong(m.group(1))});
        return jvm;
    }

    @ExtendWith(JFailExtension.class)
    static class FailsAfterLaunching {
        @Test
        void fails() {
            Jvm spawner = launchSpawner("fails");
            spawner.set("spawner_tick", "return(1)");
            spawner.awaitFired("spawner_tick", 3);
            throw new AssertionError("the replica diverged");
        }
    }

    @ExtendWith(JFailExtension.class)
    static class InterruptedAfterLaunching {
        @Test
        @Timeout(20) // far more than a launch takes; then the sleep is interrupted
        void blocks() throws InterruptedException {
            launchSpawner("blocks");
            Thread.sleep(600_000);
        }
    }

    private static Throwable failureOf(Class<?> tests) {
        List<Event> failed = EngineTestKit.engine("junit-jupiter").selectors(selectClass(tests)).execute()
                .testEvents().failed().list();
        assertEquals(1, failed.size(), () -> "failures: " + failed);
        return failed.get(0).getPayload(TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow();
    }

    private static void assertGone(String test) {
        long[] pids = PIDS.get(test);
        assertTrue(pids != null, "the test launched nothing");
        await().atMost(Duration.ofSeconds(30)).until(() -> Arrays.stream(pids)
                .noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)));
    }

    @Test
    void aFailingTestLeavesNoProcessAndWritesOneTimelineOfItsJvms() throws Exception {
        Throwable failure = failureOf(FailsAfterLaunching.class);
        assertEquals("the replica diverged", failure.getMessage());
        assertGone("fails");
        String line = Arrays.stream(failure.getSuppressed()).map(Throwable::getMessage)
                .filter(m -> m.contains("other JVM")).findFirst().orElseThrow(() -> new AssertionError(
                        "no timeline named in " + Arrays.toString(failure.getSuppressed())));
        Path page = Path.of(line.substring(line.lastIndexOf(": ") + 2));
        String html = Files.readString(page, StandardCharsets.UTF_8);
        assertTrue(html.contains("spawner \\u25b8 main") || html.contains("spawner \u25b8 main"), "no lane of the spawner's main thread");
        assertTrue(html.contains("spawner_tick"), "the spawner's crossings are missing");
        assertTrue(html.contains("the replica diverged"), "the failure is missing");
    }

    @Test
    void anInterruptedTestLeavesNoProcess() {
        Throwable failure = failureOf(InterruptedAfterLaunching.class);
        assertTrue(failure.getMessage().contains("timed out"), failure.toString());
        assertGone("blocks");
    }
}
