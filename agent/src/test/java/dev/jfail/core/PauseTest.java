package dev.jfail.core;

import dev.jfail.FailPointStatus;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code pause} holds threads until the point is set to something with {@code off} in it, or reset. */
@Timeout(60)
class PauseTest {

    private final FailPointRegistry registry = new FailPointRegistry(3);
    private final FailPointState point = registry.point("gate");
    private final List<Thread> started = new ArrayList<>();

    private static ConditionFactory soon() {
        return await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5));
    }

    /** A thread that reaches the point and records what it got. */
    private Thread reach(AtomicReference<Outcome> outcome) {
        Thread t = new Thread(() -> outcome.set(point.evaluate()), "reacher-" + started.size());
        started.add(t);
        t.start();
        return t;
    }

    private void awaitPaused(int n) {
        soon().until(() -> registry.status("gate").paused().size() == n);
    }

    @AfterEach
    void releaseEveryone() throws InterruptedException {
        registry.reset();
        for (Thread t : started) {
            t.join(10_000);
        }
    }

    @ParameterizedTest(name = "set to {0}")
    @ValueSource(strings = {"off", "5*off", "return->off", "0%off", "1*off->pause", "pause->off", "0%return"})
    void aSettingContainingOffReleasesPausedThreads(String release) throws InterruptedException {
        registry.set("gate", "pause");
        AtomicReference<Outcome> a = new AtomicReference<>();
        AtomicReference<Outcome> b = new AtomicReference<>();
        Thread ta = reach(a);
        Thread tb = reach(b);
        awaitPaused(2);

        registry.set("gate", release);
        ta.join(30_000);
        tb.join(30_000);
        assertFalse(ta.isAlive() || tb.isAlive());
        assertEquals(Outcome.PROCEED, a.get());
        assertEquals(Outcome.PROCEED, b.get());
        assertTrue(registry.status("gate").paused().isEmpty());
    }

    @Test
    void resetReleasesPausedThreads() throws InterruptedException {
        registry.set("gate", "pause");
        AtomicReference<Outcome> a = new AtomicReference<>();
        Thread t = reach(a);
        awaitPaused(1);
        registry.reset();
        t.join(30_000);
        assertFalse(t.isAlive());
        assertEquals(Outcome.PROCEED, a.get());
        assertEquals("off", registry.get("gate"));
    }

    @Test
    void aSettingWithoutOffKeepsThemPaused() throws InterruptedException {
        registry.set("gate", "pause");
        AtomicReference<Outcome> first = new AtomicReference<>();
        Thread paused = reach(first);
        awaitPaused(1);

        registry.set("gate", "return(9)");
        AtomicReference<Outcome> second = new AtomicReference<>();
        Thread later = reach(second);
        later.join(30_000);
        assertEquals(new Outcome.Return(9), second.get()); // the new setting is live ...
        assertTrue(paused.isAlive());                        // ... and the paused thread still waits
        assertEquals(1, registry.status("gate").paused().size());

        registry.set("gate", "off");
        paused.join(30_000);
        assertFalse(paused.isAlive());
    }

    @Test
    void pausedThreadsAreVisibleInStatusWithTheirStacks() {
        registry.set("gate", "pause");
        AtomicReference<Outcome> a = new AtomicReference<>();
        Thread t = reach(a);
        awaitPaused(1);
        FailPointStatus status = registry.status("gate");
        FailPointStatus.ThreadInPoint held = status.paused().get(0);
        assertEquals(t.getName(), held.threadName());
        assertEquals(FailPointState.threadId(t), held.threadId());
        assertEquals(FailPointStatus.ThreadInPoint.State.PAUSED, held.state());
        assertTrue(held.stack().stream().anyMatch(f -> f.getMethodName().equals("evaluate")
                && f.getClassName().equals(FailPointState.class.getName())), held.stack().toString());
        assertEquals(1, status.fired("pause"));
        assertTrue(status.sleeping().isEmpty());
    }

    @Test
    void anInterruptEndsThePauseAndStaysAsserted() throws InterruptedException {
        registry.set("gate", "pause");
        AtomicBoolean stillInterrupted = new AtomicBoolean();
        AtomicReference<Outcome> outcome = new AtomicReference<>();
        Thread t = new Thread(() -> {
            outcome.set(point.evaluate());
            stillInterrupted.set(Thread.currentThread().isInterrupted());
        });
        started.add(t);
        t.start();
        awaitPaused(1);
        t.interrupt();
        t.join(30_000);
        assertFalse(t.isAlive());
        assertTrue(stillInterrupted.get());
        assertEquals(Outcome.PROCEED, outcome.get());
        assertEquals("pause", registry.get("gate")); // the point itself is untouched
    }

    @Test
    void termsAfterPauseAreDroppedAndCountedPausesGoStale() throws InterruptedException {
        registry.set("gate", "1*pause->return(5)");
        assertEquals("1*pause", registry.get("gate"));
        AtomicReference<Outcome> a = new AtomicReference<>();
        Thread t = reach(a);
        awaitPaused(1);
        assertEquals("off", registry.get("gate")); // its only term went stale when it fired
        assertFalse(point.isArmed());
        registry.set("gate", "off");
        t.join(30_000);
        assertFalse(t.isAlive());
    }
}
