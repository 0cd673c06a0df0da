package dev.jfail.core;

import dev.jfail.FailPointStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What each action does to the thread that reaches the point. */
@Timeout(60)
class ActionsTest {

    private final FailPointRegistry registry = new FailPointRegistry(5);
    private final FailPointState point = registry.point("act");

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
        registry.reset();
    }

    @Test
    void sleepSleepsAtLeastItsMilliseconds() {
        registry.set("act", "sleep(30)");
        long start = System.nanoTime();
        assertEquals(Outcome.PROCEED, point.evaluate());
        assertTrue(System.nanoTime() - start >= Duration.ofMillis(30).toNanos());
        assertEquals(1, registry.status("act").fired("sleep"));
    }

    @Test
    void sleepKeepsAnInterruptThatCameBefore() {
        registry.set("act", "sleep(600000)");
        Thread.currentThread().interrupt();
        assertEquals(Outcome.PROCEED, point.evaluate()); // returns at once instead of ten minutes
        assertTrue(Thread.currentThread().isInterrupted());
    }

    @Test
    void sleepingThreadsAreVisibleAndAnInterruptEndsTheirSleep() throws InterruptedException {
        registry.set("act", "sleep(600000)");
        AtomicBoolean interruptedAfter = new AtomicBoolean();
        Thread sleeper = new Thread(() -> {
            point.evaluate();
            interruptedAfter.set(Thread.currentThread().isInterrupted());
        }, "sleeper");
        sleeper.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> registry.status("act").sleeping().size() == 1);
        FailPointStatus.ThreadInPoint held = registry.status("act").sleeping().get(0);
        assertEquals("sleeper", held.threadName());
        assertEquals(FailPointStatus.ThreadInPoint.State.SLEEPING, held.state());
        assertTrue(held.stack().stream().anyMatch(f -> f.getClassName().equals(FailPointState.class.getName())));

        sleeper.interrupt();
        sleeper.join(30_000);
        assertFalse(sleeper.isAlive());
        assertTrue(interruptedAfter.get());
        assertTrue(registry.status("act").threads().isEmpty());
    }

    @Test
    void delayBusyWaitsItsMicroseconds() {
        registry.set("act", "delay(20000)");
        long start = System.nanoTime();
        point.evaluate();
        assertTrue(System.nanoTime() - start >= Duration.ofMillis(20).toNanos());
        assertEquals(1, registry.status("act").fired("delay"));
    }

    @Test
    void delayingThreadsAreVisibleAndAnInterruptEndsTheDelay() throws InterruptedException {
        registry.set("act", "delay(600000000)");
        Thread spinner = new Thread(point::evaluate, "spinner");
        spinner.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> registry.status("act").sleeping().size() == 1);
        assertEquals(FailPointStatus.ThreadInPoint.State.DELAYING, registry.status("act").sleeping().get(0).state());
        spinner.interrupt();
        spinner.join(30_000);
        assertFalse(spinner.isAlive());
    }

    @Test
    void negativeOrZeroSleepsAndDelaysDoNothing() {
        registry.set("act", "sleep(-5)");
        assertEquals(Outcome.PROCEED, point.evaluate());
        registry.set("act", "delay(-5)");
        assertEquals(Outcome.PROCEED, point.evaluate());
        assertEquals(1, registry.status("act").fired("sleep"));
        assertEquals(1, registry.status("act").fired("delay"));
    }

    @Test
    void yieldProceeds() {
        registry.set("act", "yield");
        assertEquals(Outcome.PROCEED, point.evaluate());
        assertEquals(1, registry.status("act").fired("yield"));
    }

    @Test
    void printLogsAndContinuesOnlyWithANonZeroArgument() {
        List<String> logged = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override public void publish(LogRecord record) { logged.add(record.getMessage()); }
            @Override public void flush() { }
            @Override public void close() { }
        };
        Logger jul = Logger.getLogger("dev.jfail");
        jul.addHandler(handler);
        try {
            registry.set("act", "print->return(3)");
            assertEquals(Outcome.PROCEED, point.evaluate());
            registry.set("act", "print(1)->return(3)");
            assertEquals(new Outcome.Return(3), point.evaluate());
            // the continue flag is per evaluation: FreeBSD's code forgets to reset it, we don't
            registry.set("act", "print(1)->50%return(3)");
            for (int i = 0; i < 100; i++) {
                point.evaluate();
            }
        } finally {
            jul.removeHandler(handler);
        }
        assertEquals(102, logged.size());
        assertTrue(logged.stream().allMatch("fail point act executing"::equals), logged.toString());
    }

    @Test
    void printChainsAcrossSeveralPrints() {
        registry.set("act", "print(1)->print(-1)->print->return(4)");
        assertEquals(Outcome.PROCEED, point.evaluate());
        assertEquals(3, registry.status("act").fired("print"));
        assertEquals(0, registry.status("act").fired("return"));
    }

    @Test
    void theTermAfterAContinuingPrintStopsTheChainAsUsual() {
        // kern_fail.c leaves print's "continue" set for the rest of the walk, so yield would fall
        // through to return(3) there; the chain is meant to stop after yield
        registry.set("act", "print(1)->yield->return(3)");
        assertEquals(Outcome.PROCEED, point.evaluate());
        assertEquals(1, registry.status("act").fired("yield"));
        assertEquals(0, registry.status("act").fired("return"));
    }

    @Test
    void breakDumpsEveryThreadAndCallsTheKnownMethod() {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            registry.set("act", "break");
            assertEquals(Outcome.PROCEED, point.evaluate());
        } finally {
            System.setErr(err);
        }
        String dump = captured.toString(StandardCharsets.UTF_8);
        assertTrue(dump.startsWith("fail point act breaking to debugger"), dump);
        assertTrue(dump.contains('"' + Thread.currentThread().getName() + '"'), dump);
        assertTrue(dump.contains("ActionsTest.breakDumpsEveryThreadAndCallsTheKnownMethod"), dump);
        assertEquals("act", Debugger.lastBreak());
    }

    @Test
    void panicAndReturnAreLeftToTheCaller() {
        registry.set("act", "panic");
        assertEquals(new Outcome.Panic("fail point act panicking"), point.evaluate());
        registry.set("act", "return(-7)");
        assertEquals(new Outcome.Return(-7), point.evaluate());
        registry.set("act", "return");
        assertEquals(new Outcome.Return(0), point.evaluate());
    }

    @Test
    void aCountedOffDoesNothingForItsCountThenTheRestApplies() {
        registry.set("act", "2*off->return(1)");
        assertEquals(Outcome.PROCEED, point.evaluate());
        assertEquals(Outcome.PROCEED, point.evaluate());
        assertEquals(new Outcome.Return(1), point.evaluate());
        assertEquals("return(1)", registry.get("act"));
    }

    @Test
    void aPidTermOnlyFiresForThatThread() throws InterruptedException {
        Thread other = new Thread(() -> { });
        registry.set("act", "return(1)[pid " + FailPointState.threadId(other) + "]->return(2)");
        assertEquals(new Outcome.Return(2), point.evaluate());
        registry.set("act", "return(1)[pid " + FailPointState.threadId(Thread.currentThread()) + "]->return(2)");
        assertEquals(new Outcome.Return(1), point.evaluate());
    }

    @Test
    void statusCountsEvaluationsAndFiresPerAction() {
        registry.set("act", "2*yield->return(1)");
        for (int i = 0; i < 5; i++) {
            point.evaluate();
        }
        FailPointStatus status = registry.status("act");
        assertEquals(5, status.evaluations());
        assertEquals(2, status.fired("yield"));
        assertEquals(3, status.fired("return"));
        assertEquals(5, status.totalFired());
        assertEquals("return(1)", status.setting());
        registry.reset();
        assertEquals(0, registry.status("act").evaluations());
        assertEquals(0, registry.status("act").totalFired());
    }
}
