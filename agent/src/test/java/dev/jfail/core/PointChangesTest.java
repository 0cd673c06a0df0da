package dev.jfail.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A wait on failpoints sleeps until a point changes: it costs its JVM nothing while nothing
 * happens (another JVM's handle may wait there for minutes), and it wakes when the point moves.
 */
@Timeout(60)
class PointChangesTest {

    private final FailPointRegistry registry = new FailPointRegistry(7);

    @Test
    void aWaitOnAPointLooksAtItOnlyAFewTimesWhileNothingHappens() {
        AtomicInteger looks = new AtomicInteger();
        // one second with no change: a polling wait would look some 500 times (every 2 ms at first);
        // this one looks on a change and at most every 250 ms; a busy machine only makes it look less
        assertThrows(AssertionError.class, () -> Awaits.untilPointsChange("nothing", Duration.ofSeconds(1), () -> "nothing happened",
                () -> looks.incrementAndGet() < 0));
        assertTrue(looks.get() <= 10, "looked " + looks.get() + " times in one second");
    }

    @Test
    void aWaitForFiringsWakesWhenThePointFires() {
        registry.set("fired_once", "return(1)");
        CompletableFuture<Void> waiting = CompletableFuture.runAsync(
                () -> Awaits.fired(registry, "fired_once", 1, Duration.ofSeconds(30)));
        assertFalse(waiting.isDone());
        registry.point("fired_once").evaluate();
        await("the wait to end once the point fired").atMost(Duration.ofSeconds(20)).until(waiting::isDone);
        waiting.join(); // it ended without an AssertionError
    }

    @Test
    void aHoldsWaitWakesWhenTheThreadArrivesAndTheReleaseWhenItLeaves() {
        PointHold hold = PointHold.arm(registry, "gate", 1, 0);
        Thread arriving = new Thread(() -> registry.point("gate").evaluate(), "arriving");
        CompletableFuture<Void> held = CompletableFuture.runAsync(() -> hold.awaitHeld(Duration.ofSeconds(30)));
        arriving.start();
        await("awaitHeld to end").atMost(Duration.ofSeconds(20)).until(held::isDone);
        held.join();
        hold.release(); // waits (woken by the point) until the thread has left
        assertTrue(hold.heldThreads().isEmpty());
    }
}
