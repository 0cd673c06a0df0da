package dev.jfail.core;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hold API: holds exactly the threads asked for, releases them, and fails its waits saying what it saw. */
@Timeout(60)
class HoldTest {

    private final FailPointRegistry registry = new FailPointRegistry(7);
    private final List<Thread> started = new ArrayList<>();
    private final List<String> passed = new CopyOnWriteArrayList<>();

    /** A thread that reaches {@code point} (as instrumented code does: evaluated only while armed), then records that it passed. */
    private Thread arrive(String point, String name) {
        FailPointState state = registry.point(point);
        Thread t = new Thread(() -> {
            if (state.isArmed()) {
                state.evaluate();
            }
            passed.add(name);
        }, name);
        started.add(t);
        t.start();
        return t;
    }

    @AfterEach
    void releaseEveryone() throws InterruptedException {
        registry.reset();
        for (Thread t : started) {
            t.join(10_000);
        }
    }

    @Test
    void holdsTheNextThreadUntilReleasedAndLetsLaterOnesPass() throws InterruptedException {
        PointHold hold = PointHold.arm(registry, "debug.fail_point.gate", 1, 0);
        assertEquals("gate", hold.point());
        arrive("gate", "first");
        hold.awaitHeld();
        assertEquals(List.of("first"), hold.heldThreads());
        Thread second = arrive("gate", "second");
        second.join(10_000);
        assertEquals(List.of("second"), passed);
        hold.release();
        assertTrue(hold.heldThreads().isEmpty());
        started.get(0).join(10_000);
        assertEquals(List.of("second", "first"), passed);
        assertEquals("off", registry.get("gate"));
    }

    @Test
    void letsPassingThreadsThroughThenHolds() throws InterruptedException {
        try (PointHold hold = PointHold.arm(registry, "gate", 2, 1)) {
            arrive("gate", "a").join(10_000);
            assertEquals(List.of("a"), passed);
            arrive("gate", "b");
            arrive("gate", "c");
            hold.awaitHeld();
            assertEquals(List.of("b", "c"), hold.heldThreads().stream().sorted().toList());
        }
        started.forEach(HoldTest::join);
        assertEquals(3, passed.size());
    }

    @Test
    void holdsOnlyTheThreadItNames() throws InterruptedException {
        FailPointState state = registry.point("gate");
        Object go = new Object();
        List<Thread> workers = new ArrayList<>();
        for (String name : List.of("pagedaemon", "syncer")) {
            Thread t = new Thread(() -> {
                synchronized (go) {
                    try {
                        go.wait(5_000);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (state.isArmed()) {
                    state.evaluate();
                }
                passed.add(Thread.currentThread().getName());
            }, name);
            workers.add(t);
            started.add(t);
            t.start();
        }
        PointHold hold = PointHold.armFor(registry, "gate", workers.get(0));
        Thread.sleep(50); // both are waiting for the go
        synchronized (go) {
            go.notifyAll();
        }
        hold.awaitHeld();
        workers.get(1).join(10_000);
        assertEquals(List.of("syncer"), passed);
        assertEquals(List.of("pagedaemon"), hold.heldThreads());
        hold.close();
        workers.get(0).join(10_000);
        assertEquals(List.of("syncer", "pagedaemon"), passed);
    }

    @Test
    void aWaitThatRunsOutSaysWhatItSawAndNamesCloseDeclaredPoints() {
        registry.point("vm_fault_hold_pre_lock").declare(new Site("Fault.hold()", "void"));
        PointHold hold = PointHold.arm(registry, "vm_fault_hold_pre_lok", 1, 0);
        AssertionError e = assertThrows(AssertionError.class, () -> hold.awaitHeld(Duration.ofMillis(50)));
        assertEquals("waited 0.05 s for 1 thread(s) to be held at vm_fault_hold_pre_lok; 0 held there [], point reached"
                + " 0 time(s), setting 1*pause; no loaded code declares it (did you mean vm_fault_hold_pre_lock?)", e.getMessage());
    }

    @Test
    void awaitFiredCountsAcrossThreadsAndReportsTheCountsWhenShort() throws InterruptedException {
        registry.point("tick").declare(new Site("Ticker.tick()", "int"));
        registry.set("tick", "2*return(5)");
        arrive("tick", "one").join(10_000);
        arrive("tick", "two").join(10_000);
        Awaits.fired(registry, "tick", 2, Duration.ofSeconds(10));
        arrive("tick", "three").join(10_000); // turned itself off: not even evaluated
        AssertionError e = assertThrows(AssertionError.class, () -> Awaits.fired(registry, "tick", 3, Duration.ofMillis(20)));
        assertEquals("waited 0.02 s for tick to fire 3 time(s); it fired 2 time(s) in 2 hit(s), setting off", e.getMessage());
    }

    @Test
    void awaitingTheHitsOfAPointThatIsOffFailsAtOnce() {
        AssertionError e = assertThrows(AssertionError.class, () -> Awaits.reached(registry, "nowhere", 1, Duration.ofSeconds(30)));
        assertTrue(e.getMessage().startsWith("nowhere is off, and a point that is off counts nothing"), e.getMessage());
        assertTrue(e.getMessage().endsWith("; no loaded code declares it"), e.getMessage());
    }

    @Test
    void aHoldOfNoThreadIsRefusedAndChangesNothing() {
        assertThrows(IllegalArgumentException.class, () -> PointHold.arm(registry, "gate", 0, 0));
        assertThrows(IllegalArgumentException.class, () -> PointHold.arm(registry, "gate", 1, -1));
        assertFalse(registry.isKnown("gate"));
    }

    private static void join(Thread t) {
        try {
            t.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
