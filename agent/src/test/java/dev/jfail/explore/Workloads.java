package dev.jfail.explore;

import java.util.ArrayList;
import java.util.List;

/** Small workloads with one bug each, and their fixed twins, for the explorer's tests. */
final class Workloads {

    private final Points points;

    Workloads(Points points) {
        this.points = points;
    }

    /** Two threads increment a counter by read, point, write: an update can be lost. The result: the final count. */
    int lostUpdate(boolean fixed) throws InterruptedException {
        int[] counter = {0};
        Object lock = new Object();
        Runnable increment = () -> {
            points.cross("tick_enter");
            if (fixed) {
                synchronized (lock) {
                    int read = counter[0];
                    points.cross("tick_read");
                    counter[0] = read + 1;
                }
            } else {
                incrementWithAWindow(counter, lock);
            }
        };
        Thread a = new Thread(increment, "incr-a");
        Thread b = new Thread(increment, "incr-b");
        a.start();
        b.start();
        a.join();
        b.join();
        synchronized (lock) {
            return counter[0];
        }
    }

    /** The buggy increment: the read and the write each under the lock, the point between them (the window). */
    private void incrementWithAWindow(int[] counter, Object lock) {
        int read;
        synchronized (lock) {
            read = counter[0];
        }
        points.cross("tick_read");
        synchronized (lock) {
            counter[0] = read + 1;
        }
    }

    /**
     * The same lost update with its interleaving decided by the points, not by the host's scheduler:
     * the second increment runs whole inside the first one's window (between its read and its write)
     * exactly when an action fired at the first one's crossing of {@code tick_read} (a sleep, a yield,
     * a delay: the window widened), and otherwise starts after the write. What the search and the
     * shrinking then find depends on the seeded rolls only, never on how busy the machine is. The
     * result: the final count.
     */
    int lostUpdateInTheWindow() throws InterruptedException {
        int[] counter = {0};
        Object lock = new Object();
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch secondDone = new java.util.concurrent.CountDownLatch(1);
        Thread second = new Thread(() -> {
            points.cross("tick_enter");
            awaitQuietly(go);
            incrementWithAWindow(counter, lock);
            secondDone.countDown();
        }, "incr-b");
        second.start();
        points.cross("tick_enter");
        int read;
        synchronized (lock) {
            read = counter[0];
        }
        long before = delays("tick_read");
        points.cross("tick_read");
        boolean widened = delays("tick_read") > before;
        if (widened) {
            go.countDown();
            awaitQuietly(secondDone);   // the other increment lands in the window
        }
        synchronized (lock) {
            counter[0] = read + 1;
        }
        go.countDown();   // not widened: the other increment starts after the write (widened: already gone, a no-op)
        second.join();
        synchronized (lock) {
            return counter[0];
        }
    }

    /** How often an action that widens a window (sleep, yield, delay) fired at {@code point}; a counted off does not. */
    private long delays(String point) {
        dev.jfail.FailPointStatus status = points.registry.status(point);
        return status.fired("sleep") + status.fired("yield") + status.fired("delay");
    }

    private static void awaitQuietly(java.util.concurrent.CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Allocates ten buffers; when an allocation fails, the buggy error path forgets to give back the
     * ones it already has. The result: buffers leaked (0 when all is well).
     */
    int leakOnError(boolean fixed) {
        List<Integer> held = new ArrayList<>();
        int pool = 10;
        for (int i = 0; i < 10; i++) {
            points.cross("alloc_enter");
            if (points.crossBoolean("alloc_fails", false)) {
                if (fixed) {
                    pool += held.size();
                    held.clear();
                }
                return 10 - pool;
            }
            held.add(i);
            pool--;
        }
        pool += held.size();
        return 10 - pool;
    }

    /**
     * The lost update among {@code noise} points the workload's own thread crosses, one after the
     * other, before the two incrementing threads start: the explorer must find the two where they meet
     * ({@link #lostUpdateInTheWindow}'s, whose interleaving the points decide).
     */
    int lostUpdateAmong(int noise) throws InterruptedException {
        for (int i = 0; i < noise; i++) {
            points.cross("fixture.Setup" + (i % 10), "setup_" + i);
        }
        return lostUpdateInTheWindow();   // decided by the points: what it shrinks to does not depend on the load
    }

    /**
     * A worker does its part and counts a latch down; the buggy one counts down only when its part
     * did not throw, so the main thread, waiting on the latch, waits for ever. The result: 0.
     */
    int handOff(boolean fixed) throws InterruptedException {
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        Thread worker = new Thread(() -> {
            if (fixed) {
                try {
                    points.cross("hand_work");
                } finally {
                    done.countDown();
                }
            } else {
                points.cross("hand_work");
                done.countDown();
            }
        }, "hand-worker");
        worker.setDaemon(true);
        worker.start();
        done.await();
        return 0;
    }

    /**
     * A writer counts an item in, then stores it; when storing fails it carries on (the buggy one
     * leaves the count as it was raised). A reader thread then checks that count and items agree,
     * and throws when they do not. The result: items stored.
     */
    int halfUpdate(boolean fixed) throws InterruptedException {
        int[] size = {0};
        List<Integer> items = new ArrayList<>();
        Thread writer = new Thread(() -> {
            for (int i = 0; i < 3; i++) {
                size[0]++;
                try {
                    points.cross("store_item");
                    items.add(i);
                } catch (RuntimeException e) {
                    if (fixed) {
                        size[0]--;   // the count goes back down with the item that failed
                    }
                }
            }
        }, "writer");
        writer.start();
        writer.join();
        Thread reader = new Thread(() -> {
            if (size[0] != items.size()) {
                throw new IllegalStateException("count " + size[0] + " but " + items.size() + " items");
            }
        }, "reader");
        reader.start();
        reader.join();
        return items.size();
    }

    /** Fails in about one run of eight whatever the points do (its own randomness, from the seed), and always when the cache says stale. */
    int flaky(long seed) {
        boolean unlucky = new java.util.SplittableRandom(seed).nextInt(8) == 0;
        boolean stale = points.crossBoolean("cache_stale", false);
        points.cross("cache_read");
        return unlucky || stale ? 1 : 0;
    }
}
