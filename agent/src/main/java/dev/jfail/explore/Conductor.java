package dev.jfail.explore;

import dev.jfail.core.FailPointRegistry;

import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Carries out a trial's {@link Order}s: the hold point is armed {@code [K-1*off->]1*pause}; once a
 * thread is parked there, the conductor watches the other point's crossings and sets the hold
 * point {@code off} (which lets the thread go) when another thread has reached it, plus the lag,
 * or when the order's longest wait is up. One daemon thread per trial with orders, polling every
 * 100 µs (parked in between, so it leaves the cores to the workload).
 */
final class Conductor implements AutoCloseable {

    private static final long POLL_NANOS = 100_000;

    private final FailPointRegistry registry;
    private final List<Order> orders;
    private final long[] heldNanos;
    private final Thread thread;
    private volatile boolean stop;

    private Conductor(FailPointRegistry registry, List<Order> orders) {
        this.registry = registry;
        this.orders = orders;
        this.heldNanos = new long[orders.size()];
        this.thread = orders.isEmpty() ? null : new Thread(this::conduct, "jfail-explore-conductor");
    }

    /** Arms the orders' hold points (the caller has applied the other settings) and starts watching. */
    static Conductor start(FailPointRegistry registry, List<Order> orders) {
        Conductor c = new Conductor(registry, orders);
        for (Order o : orders) {
            registry.set(o.hold(), o.pauseSetting());
        }
        if (c.thread != null) {
            c.thread.setDaemon(true);
            c.thread.start();
        }
        return c;
    }

    /** How long each order held its thread, in milliseconds (0: never held): what a sleep in its place needs. */
    long heldMillis(int order) {
        return heldNanos[order] / 1_000_000;
    }

    private void conduct() {
        int n = orders.size();
        long[] heldSince = new long[n];
        long[] untilBefore = new long[n];
        long[] reachedAt = new long[n];
        boolean[] done = new boolean[n];
        int left = n;
        while (!stop && left > 0) {
            long now = System.nanoTime();
            for (int i = 0; i < n; i++) {
                if (done[i]) {
                    continue;
                }
                Order o = orders.get(i);
                if (heldSince[i] == 0) {
                    long until = registry.status(o.until()).evaluations();
                    if (registry.status(o.hold()).fired("pause") > 0) {
                        heldSince[i] = now;   // crossings of until since the last poll before the hold count
                    } else {
                        untilBefore[i] = until;
                    }
                    continue;
                }
                if (reachedAt[i] == 0 && registry.status(o.until()).evaluations() > untilBefore[i]) {
                    reachedAt[i] = now;
                }
                boolean reached = reachedAt[i] != 0 && now - reachedAt[i] >= o.lagMillis() * 1_000_000L;
                if (reached || now - heldSince[i] >= o.maxWaitMillis() * 1_000_000L) {
                    heldNanos[i] = now - heldSince[i];
                    registry.set(o.hold(), "off");
                    done[i] = true;
                    left--;
                }
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    /** Stops watching; the caller resets the registry, which lets any thread still held go. */
    @Override
    public void close() {
        stop = true;
        if (thread != null) {
            try {
                thread.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
