package dev.jfail.it;

import dev.jfail.FailPointStatus;
import dev.jfail.FailPoints;
import dev.jfail.Hold;
import dev.jfail.it.fixture.TickApp;
import dev.jfail.it.fixture.TickUntilNine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code FailPoints.jvm(pid)} and the launcher against real JVMs started with the agent jar: every
 * verb acts in the other JVM, waits wait there, errors name the JVM, and a JVM that exits fails the
 * waits on it at once.
 */
@Timeout(180)
class RemoteJvmIT {

    static {
        System.setProperty("jfail.agent.jar", Jvm.agentJar().toString()); // this build's classes are a directory
    }

    private static dev.jfail.JvmLauncher launcher(Class<?> main, String name) {
        return FailPoints.launcher(main.getName()).name(name).classPath(Jvm.fixtures().toString());
    }

    @Test
    void everyVerbActsInTheOtherJvm() {
        try (dev.jfail.Jvm ticker = launcher(TickApp.class, "ticker").start()) {
            ticker.awaitOutput(Pattern.compile("tick=1"));
            ticker.set("tick", "return(5)");
            assertEquals("return(5)", ticker.get("tick"));
            ticker.awaitOutput(Pattern.compile("tick=5"));
            ticker.awaitFired("tick", 3);
            assertTrue(ticker.list().containsKey("tick"));
            FailPointStatus status = ticker.status("tick");
            assertTrue(status.declared() && status.fired("return") >= 3, status.toString());
            assertEquals("off", FailPoints.get("tick"), "this JVM's point is untouched");

            try (Hold hold = ticker.holdAt("tick")) {
                hold.awaitHeld();
                assertEquals(List.of("main"), hold.heldThreads());
                assertEquals(1, ticker.status("tick").paused().size());
                assertFalse(ticker.status("tick").paused().get(0).stack().isEmpty());
            }
            assertTrue(ticker.status("tick").paused().isEmpty());
            ticker.reset();
            assertEquals("off", ticker.get("tick"));
            assertTrue(ticker.declare("tock2@" + dev.jfail.it.fixture.Ticker.class.getName() + "#tock").get(0).startsWith("tock2@"));
            ticker.setAll("tock2=return;tick=return(6)");
            ticker.awaitFired("tock2", 1);
        }
    }

    @Test
    void errorsAreOneLineNamingTheJvm() {
        try (dev.jfail.Jvm ticker = launcher(TickApp.class, "ticker").start()) {
            IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> ticker.set("tick", "5%%sleep"));
            assertTrue(bad.getMessage().startsWith("jvm ticker (pid " + ticker.pid() + "): "), bad.getMessage());
            assertFalse(bad.getMessage().contains("\n"), bad.getMessage());
            AssertionError late = assertThrows(AssertionError.class, () -> ticker.awaitFired("nowhere", 1, Duration.ofMillis(300)));
            assertTrue(late.getMessage().startsWith("jvm ticker (pid " + ticker.pid() + "): waited 0.3 s for nowhere to fire"),
                    late.getMessage());
        }
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> FailPoints.jvm(Long.MAX_VALUE - 1));
        assertEquals("jvm pid " + (Long.MAX_VALUE - 1) + ": no such process", none.getMessage());
    }

    @Test
    void aHandleLeftIdleLongerThanTheChannelKeepsAConnectionStillAnswers() throws Exception {
        try (dev.jfail.Jvm ticker = launcher(TickApp.class, "ticker").start()) {
            ticker.set("tick", "return(7)");
            Thread.sleep(dev.jfail.control.ControlServer.IDLE_MILLIS + 1_000);   // the target has closed the idle connection
            ticker.seed(42);
            assertEquals(42, ticker.seed());
            assertEquals("return(7)", ticker.get("tick"));
        }
    }

    @Test
    void aJvmThatExitsFailsItsWaitsAtOnce() throws Exception {
        try (dev.jfail.Jvm ticker = launcher(TickUntilNine.class, "short-lived").start()) {
            ticker.awaitOutput(Pattern.compile("ticking"));
            CompletableFuture<Throwable> waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    ticker.awaitFired("never", 1, Duration.ofMinutes(2));
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> ticker.status("tick").evaluations() >= 0);
            ticker.set("tick", "return(9)");
            Throwable failure = waiting.get(60, TimeUnit.SECONDS); // well before its two minutes
            assertTrue(failure instanceof AssertionError, String.valueOf(failure));
            assertTrue(failure.getMessage().startsWith("jvm short-lived (pid " + ticker.pid() + ") exited with 4"), failure.getMessage());
            AssertionError after = assertThrows(AssertionError.class, () -> ticker.awaitFired("tick", 1, Duration.ofMinutes(2)));
            assertTrue(after.getMessage().contains("exited with 4"), after.getMessage());
            IllegalStateException set = assertThrows(IllegalStateException.class, () -> ticker.holdAt("tick"));
            assertTrue(set.getMessage().startsWith("jvm short-lived (pid " + ticker.pid() + ") exited with 4"), set.getMessage());
        }
    }

    @Test
    void aHandleByPidReachesAJvmStartedWithTheAgent() {
        Jvm target = Jvm.start(List.of("-javaagent:" + Jvm.agentJar(), "-cp", Jvm.fixtures().toString(), TickApp.class.getName()), java.util.Map.of());
        try (dev.jfail.Jvm handle = FailPoints.jvm(target.pid())) {
            target.awaitLine("tick=1 tock=ran third=1");
            handle.set("tick", "return(8)");
            target.awaitLine("tick=8 tock=ran third=1");
            assertEquals("pid " + target.pid(), handle.name());
        } finally {
            target.close();
        }
    }
}
