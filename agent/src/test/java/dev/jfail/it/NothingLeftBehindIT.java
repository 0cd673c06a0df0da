package dev.jfail.it;

import dev.jfail.it.fixture.LaunchingTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A test JVM stopped from outside leaves none of the JVMs it launched, nor what they started: on
 * SIGTERM its shutdown stops them; on SIGKILL (no hook runs) the agent in each launched JVM sees its
 * parent gone and ends its own processes, then itself.
 */
@Timeout(180)
class NothingLeftBehindIT {

    @Test
    void killedTestJvmLeavesNothing() {
        assertNothingLeft(true);
    }

    @Test
    void terminatedTestJvmLeavesNothing() {
        assertNothingLeft(false);
    }

    private static void assertNothingLeft(boolean kill) {
        Jvm test = Jvm.start(List.of("-Djfail.agent.jar=" + Jvm.agentJar(),
                "-cp", Jvm.fixtures() + File.pathSeparator + System.getProperty("jfail.classes"),
                LaunchingTest.class.getName()), Map.of());
        try {
            String line = test.awaitMatch(Pattern.compile("launched (\\d+) spawned (\\d+)"));
            Matcher m = Pattern.compile("launched (\\d+) spawned (\\d+)").matcher(line);
            assertTrue(m.find(), line);
            long[] pids = {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
            assertTrue(Arrays.stream(pids).allMatch(NothingLeftBehindIT::alive), "both run before the test JVM stops");
            ProcessHandle handle = ProcessHandle.of(test.pid()).orElseThrow();
            if (kill) {
                handle.destroyForcibly();
            } else {
                handle.destroy();
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> Arrays.stream(pids).noneMatch(NothingLeftBehindIT::alive));
        } finally {
            test.close();
        }
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
