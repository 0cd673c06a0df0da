package dev.jfail.replay;

import dev.jfail.trace.Recorder;
import dev.jfail.core.FailPointRegistry;
import dev.jfail.core.FailPointState;
import dev.jfail.core.Outcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A replay holds each thread at its next point until that crossing's turn, and forces the recorded decision. */
@Timeout(60)
@ResourceLock("dev.jfail.trace.Recorder")
class TurnsTest {

    private final FailPointRegistry registry = new FailPointRegistry(11);
    private final FailPointState a = registry.point("turn_a");
    private final FailPointState b = registry.point("turn_b");
    private Turns turns;

    @AfterEach
    void end() {
        if (turns != null) {
            turns.finish();
        }
        registry.reset();
        Recorder.end();
    }

    private static ReplayFile.Crossing x(int n, String thread, String point, String decision) {
        return new ReplayFile.Crossing(n, 0, thread, point, decision);
    }

    /** A thread that crosses {@code points} in order, appending "thread:point" to {@code log} after each. */
    private Thread crosser(String name, List<String> log, FailPointState... points) {
        Thread t = new Thread(() -> {
            for (FailPointState p : points) {
                p.evaluate("Test.site()");
                log.add(name + ":" + p.name());
            }
        }, name);
        t.start();
        return t;
    }

    @Test
    void threadsCrossInTheRecordedOrderWhateverOrderTheyStartIn() throws InterruptedException {
        registry.set("turn_a", "yield");
        registry.set("turn_b", "yield");
        List<ReplayFile.Crossing> order = List.of(
                x(1, "left", "turn_a", "0:yield"), x(2, "right", "turn_b", "0:yield"),
                x(3, "right", "turn_a", "0:yield"), x(4, "left", "turn_b", "0:yield"),
                x(5, "left", "turn_a", "0:yield"), x(6, "right", "turn_b", "0:yield"));
        for (int attempt = 0; attempt < 5; attempt++) {
            Recorder.begin();
            turns = Turns.start(order, Duration.ofSeconds(10));
            List<String> log = Collections.synchronizedList(new ArrayList<>());
            // the right thread starts first and would run ahead if nobody held it
            Thread right = crosser("right", log, b, a, b);
            Thread left = crosser("left", log, a, b, a);
            right.join(20_000);
            left.join(20_000);
            Turns.Result result = turns.finish();
            turns = null;
            assertTrue(result.followed(), String.valueOf(result));
            assertEquals(6, result.enforced());
            List<String> crossed = ReplayFile.crossingsOf(Recorder.snapshot()).stream()
                    .map(c -> c.thread() + ":" + c.point()).toList();
            assertEquals(List.of("left:turn_a", "right:turn_b", "right:turn_a", "left:turn_b", "left:turn_a",
                    "right:turn_b"), crossed);
        }
    }

    @Test
    void theRecordedDecisionsAreForcedWhateverTheRollsSay() {
        registry.set("turn_a", "50%return(1)->return(2)");
        List<ReplayFile.Crossing> order = List.of(
                x(1, Thread.currentThread().getName(), "turn_a", "1:return(2)"),
                x(2, Thread.currentThread().getName(), "turn_a", "0:return(1)"),
                x(3, Thread.currentThread().getName(), "turn_a", "1:return(2)"));
        turns = Turns.start(order, Duration.ofSeconds(5));
        assertEquals(new Outcome.Return(2), a.evaluate("s"));
        assertEquals(new Outcome.Return(1), a.evaluate("s"));
        assertEquals(new Outcome.Return(2), a.evaluate("s"));
        assertTrue(turns.finish().followed());
    }

    @Test
    void aTurnThatNeverComesIsReportedAndTheWaitingThreadGoesOn() throws InterruptedException {
        registry.set("turn_a", "yield");
        List<ReplayFile.Crossing> order = List.of(x(1, "ghost", "turn_b", "0:yield"), x(2, "waiter", "turn_a", "0:yield"));
        turns = Turns.start(order, Duration.ofMillis(300));
        AtomicReference<Outcome> got = new AtomicReference<>();
        Thread waiter = new Thread(() -> got.set(a.evaluate("s")), "waiter");
        waiter.start();
        waiter.join(10_000);
        assertFalse(waiter.isAlive());
        assertEquals(Outcome.PROCEED, got.get());
        Turns.Result result = turns.finish();
        assertFalse(result.followed());
        assertTrue(result.gaveUp());
        assertEquals("thread waiter waited 300 ms at point turn_a for crossing #2; the turn of crossing #1 "
                + "(thread ghost at point turn_b) never came (ghost is not running)", result.stopped());
    }

    @Test
    void aTurnThatNeverComesSaysWhereItsThreadIs() throws InterruptedException {
        registry.set("turn_a", "yield");
        List<ReplayFile.Crossing> order = List.of(x(1, "stuck", "turn_b", "0:yield"), x(2, "waiter", "turn_a", "0:yield"));
        turns = Turns.start(order, Duration.ofMillis(300));
        CountDownLatch never = new CountDownLatch(1);
        Thread stuck = new Thread(() -> awaitQuietly(never), "stuck");
        stuck.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> stuck.getState() == Thread.State.WAITING);
        Thread waiter = new Thread(() -> a.evaluate("s"), "waiter");
        waiter.start();
        waiter.join(10_000);
        never.countDown();
        stuck.join(10_000);
        String stopped = turns.finish().stopped();
        assertTrue(stopped.contains("never came (stuck was WAITING in TurnsTest.awaitQuietly:"), stopped);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aThreadHeldForAStrictTurnWaitsRunningNotParked() throws InterruptedException {
        // code that looks at threads (the model's OpenBSD kernel lock passes over a thread it sees
        // blocked) must see it as it was in the record: running through the point
        registry.set("turn_a", "yield");
        turns = Turns.start(List.of(x(1, "ghost", "turn_b", "0:yield"), x(2, "waiter", "turn_a", "0:yield")),
                Duration.ofSeconds(3));
        Thread waiter = new Thread(() -> a.evaluate("s"), "waiter");
        waiter.start();
        Thread.sleep(100);
        for (int sample = 0; sample < 200; sample++) {
            assertEquals(Thread.State.RUNNABLE, waiter.getState(), "sample " + sample);
            Thread.sleep(1);
        }
        turns.finish();
        waiter.join(10_000);
        assertFalse(waiter.isAlive());
    }

    @Test
    void anInterruptedWaitEndsTheRunWithoutCallingItADivergence() throws InterruptedException {
        registry.set("turn_a", "yield");
        turns = Turns.start(List.of(x(1, "ghost", "turn_b", "0:yield"), x(2, "waiter", "turn_a", "0:yield")),
                Duration.ofSeconds(60));
        AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            a.evaluate("s");
            stillInterrupted.set(Thread.currentThread().isInterrupted());
        }, "waiter");
        waiter.start();
        Thread.sleep(100); // most likely waiting by now; interrupted sooner, it stops at its first look all the same
        waiter.interrupt();
        waiter.join(10_000);
        Turns.Result result = turns.finish();
        assertTrue(stillInterrupted.get(), "the interrupt is kept for the application");
        assertTrue(result.followed(), String.valueOf(result));
        assertEquals("the run ended: thread waiter was interrupted while it waited at point turn_a for crossing #2",
                result.stopped());
    }

    @Test
    void aThreadAtAnotherPointThanRecordedEndsTheReplayAndSaysWhere() {
        registry.set("turn_b", "return(5)");
        String me = Thread.currentThread().getName();
        turns = Turns.start(List.of(x(1, me, "turn_a", "none")), Duration.ofSeconds(5));
        assertEquals(new Outcome.Return(5), b.evaluate("s"));
        Turns.Result result = turns.finish();
        assertEquals("thread " + me + " reached point turn_b where the record has crossing #1 at point turn_a",
                result.stopped());
    }

    @Test
    void aRunThatEndsEarlySaysWhichCrossingNeverHappened() {
        turns = Turns.start(List.of(x(1, "nobody", "turn_a", "none")), Duration.ofSeconds(5));
        Turns.Result result = turns.finish();
        assertEquals("the run ended before crossing #1 (thread nobody at point turn_a)", result.stopped());
        assertTrue(result.followed(), "the order was not given up, the run just ended");
    }

    @Test
    void orderingCrossingsAreKeptLeniently() throws InterruptedException {
        registry.set("turn_a", "delay(0)"); // an ordering point
        registry.set("turn_b", "return(9)");
        String me = Thread.currentThread().getName();
        // recorded: ghost's ordering crossing, then two of mine, then my strict crossing
        turns = Turns.start(List.of(x(1, "ghost", "turn_a", "0:delay"), x(2, me, "turn_a", "0:delay"),
                x(3, me, "turn_a", "0:delay"), x(4, me, "turn_b", "0:return(9)")), Set.of("turn_a"), Duration.ofSeconds(5));
        long start = System.nanoTime();
        a.evaluate("s"); // waits for ghost's turn, which never comes: skipped after the ordering patience
        assertTrue(System.nanoTime() - start >= Turns.ORDERING_PATIENCE.toNanos());
        assertEquals(new Outcome.Return(9), b.evaluate("s")); // one ordering crossing fewer than recorded: skipped
        a.evaluate("s"); // one more than recorded: passes
        Turns.Result result = turns.finish();
        assertTrue(result.followed(), String.valueOf(result));
        assertNull(result.stopped());
        assertEquals(2, result.enforced());
        assertEquals(2, result.skipped());
        assertEquals(1, result.unrecorded());
        assertEquals("thread " + me + " waited 200 ms at point turn_a for crossing #2; the turn of crossing #1 "
                + "(thread ghost at point turn_a) never came (ghost is not running)", result.firstSkip());
    }

    @Test
    void aGateLetsThreadsTakeALockInTheOrderTheRecordHasThemGetIt() throws InterruptedException {
        FailPointState gate = registry.point("turn_gate");
        registry.set("turn_gate", "delay(0)");
        registry.set("turn_a", "delay(0)"); // crossed once the lock is taken: the record's order is who got it
        ReentrantLock lock = new ReentrantLock();
        List<ReplayFile.Crossing> order = List.of(x(1, "second", "turn_a", "0:delay"), x(2, "first", "turn_a", "0:delay"));
        for (int attempt = 0; attempt < 5; attempt++) {
            turns = Turns.start(order, Set.of("turn_a"), Map.of("turn_gate", "turn_a"), Duration.ofSeconds(10));
            List<String> got = Collections.synchronizedList(new ArrayList<>());
            Runnable takeTheLock = () -> {
                gate.evaluate("Test.gate()");
                lock.lock();
                try {
                    a.evaluate("Test.point()");
                    got.add(Thread.currentThread().getName());
                } finally {
                    lock.unlock();
                }
            };
            Thread first = new Thread(takeTheLock, "first");
            first.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> first.getState() == Thread.State.TIMED_WAITING);
            Thread second = new Thread(takeTheLock, "second");
            second.start();
            first.join(20_000);
            second.join(20_000);
            Turns.Result result = turns.finish();
            turns = null;
            assertEquals(List.of("second", "first"), got);
            assertTrue(result.followed(), String.valueOf(result));
            assertEquals(2, result.enforced());
            assertEquals(0, result.skipped());
        }
    }

    @Test
    void atAGatedPointAThreadNeverWaitsForItsTurn() {
        registry.set("turn_a", "delay(0)");
        String me = Thread.currentThread().getName();
        turns = Turns.start(List.of(x(1, "ghost", "turn_a", "0:delay"), x(2, me, "turn_a", "0:delay")),
                Set.of("turn_a"), Map.of("turn_gate", "turn_a"), Duration.ofSeconds(5));
        long start = System.nanoTime();
        a.evaluate("s"); // its gate did not hold it: taken out of turn, at once
        assertTrue(System.nanoTime() - start < Turns.ORDERING_PATIENCE.toNanos());
        Turns.Result result = turns.finish();
        assertEquals(1, result.skipped());
        assertEquals(0, result.enforced());
    }

    @Test
    void aGateMustOpenAnOrderingPoint() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Turns.start(List.of(), Set.of(), Map.of("turn_gate", "turn_a"), Duration.ofSeconds(1)));
        assertEquals("gate turn_gate opens turn_a, which is not an ordering point", e.getMessage());
    }

    @Test
    void aGateAndThePointItOpensAreCalledFromOnePlace() {
        assertEquals("Kernel.sched_lock < SleepLock.xlock:66 < VmObject.VM_OBJECT_WLOCK:86",
                Turns.callers("Kernel.sched_lock_pre_op() < Kernel.sched_lock:447 < SleepLock.xlock:66 < VmObject.VM_OBJECT_WLOCK:86"));
        assertEquals(Turns.callers("Kernel.sched_lock_post_op() < Kernel.sched_lock:449 < SleepLock.xlock:66"),
                Turns.callers("Kernel.sched_lock_pre_op() < Kernel.sched_lock:447 < SleepLock.xlock:66"));
        assertEquals("?", Turns.callers("?"));
    }

    @Test
    void crossingsBeyondTheRecordDecideByTheirRolls() {
        registry.set("turn_a", "return(3)");
        turns = Turns.start(List.of(), Duration.ofSeconds(5));
        assertEquals(new Outcome.Return(3), a.evaluate("s"));
        Turns.Result result = turns.finish();
        assertTrue(result.followed());
        assertEquals(1, result.unrecorded());
    }

    @Test
    void onlyOneReplayRunsAtATime() {
        turns = Turns.start(List.of(), Duration.ofSeconds(1));
        assertThrows(IllegalStateException.class, () -> Turns.start(List.of(), Duration.ofSeconds(1)));
        turns.finish();
        turns = Turns.start(List.of(), Duration.ofSeconds(1));
        assertNull(turns.finish().stopped());
    }
}
