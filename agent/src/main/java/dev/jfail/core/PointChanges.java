package dev.jfail.core;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wakes the waits on failpoints (a count reached, a thread held or gone) when a point changes, so
 * that a wait costs its JVM nothing while nothing happens: a handle in another JVM may wait there
 * for minutes. While nobody waits, a crossing pays one volatile read for it.
 */
final class PointChanges {

    private static final AtomicInteger WAITING = new AtomicInteger();
    private static final Object MONITOR = new Object();
    /** Bumped (under {@link #MONITOR}) by every change seen while someone waits. */
    private static volatile long generation;

    private PointChanges() {
    }

    /** A point's counters or held threads changed (called after the change is visible). */
    static void changed() {
        if (WAITING.get() > 0) {
            synchronized (MONITOR) {
                generation++;
                MONITOR.notifyAll();
            }
        }
    }

    /** Counts the caller as waiting; {@link #changed} notifies only while someone is. */
    static void startWaiting() {
        WAITING.incrementAndGet();
    }

    static void stopWaiting() {
        WAITING.decrementAndGet();
    }

    /** What to pass to {@link #awaitAfter}: read before looking at the condition. */
    static long generation() {
        return generation;
    }

    /**
     * Waits until a change after {@code seen}, at most {@code nanos}. An interrupt ends the wait
     * and stays set.
     */
    static void awaitAfter(long seen, long nanos) {
        long end = System.nanoTime() + nanos;
        synchronized (MONITOR) {
            long left;
            while (generation == seen && (left = end - System.nanoTime()) > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(MONITOR, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
