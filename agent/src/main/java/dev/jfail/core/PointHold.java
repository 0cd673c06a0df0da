package dev.jfail.core;

import dev.jfail.Hold;

import java.time.Duration;
import java.util.List;

/**
 * The one implementation of {@link Hold}, made of the failpoint language itself: {@code N*pause}
 * holds the next N arrivals (the count is exact across threads), {@code M*off->N*pause} lets M pass
 * first (FreeBSD's counted off doing the counting), {@code pause[pid T]} holds only thread T (a
 * Java thread id); {@code off} releases. The facade, the Groovy DSL and the extensions all use it.
 */
public final class PointHold implements Hold {

    private final FailPointRegistry registry;
    private final String point;
    private final int threads;
    private final int passing;
    private final Thread only;

    private PointHold(FailPointRegistry registry, String point, int threads, int passing, Thread only) {
        this.registry = registry;
        this.point = point;
        this.threads = threads;
        this.passing = passing;
        this.only = only;
    }

    /**
     * Arms {@code point} to hold the next {@code threads} threads that reach it after {@code passing}
     * others went by. A count below one (or a negative passing) is refused and changes nothing.
     */
    public static PointHold arm(FailPointRegistry registry, String point, int threads, int passing) {
        if (threads < 1) {
            throw new IllegalArgumentException("a hold stops at least one thread, not " + threads);
        }
        if (passing < 0) {
            throw new IllegalArgumentException("a hold lets a number of threads pass, not " + passing);
        }
        PointHold hold = new PointHold(registry, FailPointRegistry.canonicalName(point), threads, passing, null);
        registry.set(hold.point, passing == 0 ? threads + "*pause" : passing + "*off->" + threads + "*pause");
        return hold;
    }

    /** Arms {@code point} to hold {@code thread} the next time it gets there; other threads pass. */
    public static PointHold armFor(FailPointRegistry registry, String point, Thread thread) {
        if (thread == null) {
            throw new IllegalArgumentException("a hold for one thread needs the thread, not null");
        }
        PointHold hold = new PointHold(registry, FailPointRegistry.canonicalName(point), 1, 0, thread);
        registry.set(hold.point, "1*pause[pid " + FailPointState.threadId(thread) + "]");
        return hold;
    }

    @Override
    public String point() {
        return point;
    }

    @Override
    public int threads() {
        return threads;
    }

    @Override
    public PointHold awaitHeld(Duration atMost) {
        Awaits.paused(registry, point, threads, atMost);
        return this;
    }

    @Override
    public List<String> heldThreads() {
        return heldAt(registry, point);
    }

    @Override
    public PointHold release() {
        release(registry, point);
        return this;
    }

    /** Sets {@code point} off and waits until no thread is parked there: a hold's release, also for another JVM's handle. */
    public static void release(FailPointRegistry registry, String point) {
        registry.set(point, "off");
        Awaits.untilPointsChange("the threads held at " + point + " to leave it", Patience.standard(),
                () -> "still held: " + Awaits.pausedNames(registry, point), () -> registry.status(point).paused().isEmpty());
    }

    /** The names of the threads parked at {@code point} right now. */
    public static List<String> heldAt(FailPointRegistry registry, String point) {
        return Awaits.pausedNames(registry, point);
    }

    @Override
    public String toString() {
        return "hold of " + (only != null ? "thread \"" + only.getName() + "\"" : threads + " thread(s)") + " at " + point
                + (passing > 0 ? " after " + passing + " passed" : "");
    }
}
