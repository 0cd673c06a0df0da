package dev.jfail.explore;

import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Carries out a trial's {@link Order}s: the hold point is armed {@code [K-1*off->]1*pause}; once a
 * thread is parked there, the conductor watches the other point's crossings and sets the hold
 * point {@code off} (which lets the thread go) when another thread has reached it, plus the lag,
 * or when the order's longest wait is up. One daemon thread per trial with orders, polling every
 * 100 µs (parked in between, so it leaves the cores to the workload); every millisecond when other
 * JVMs take part, as a poll of one of their points is a round trip over its channel. The hold and
 * the other point may be in different JVMs.
 */
final class Conductor implements AutoCloseable {

    private static final long POLL_NANOS = 100_000;
    private static final long REMOTE_POLL_NANOS = 1_000_000;

    private final Hosts hosts;
    private final List<Order> orders;
    private final long[] heldNanos;
    private final Thread thread;
    private volatile boolean stop;

    private Conductor(Hosts hosts, List<Order> orders) {
        this.hosts = hosts;
        this.orders = orders;
        this.heldNanos = new long[orders.size()];
        this.thread = orders.isEmpty() ? null : new Thread(this::conduct, "jfail-explore-conductor");
    }

    /** Arms the orders' hold points (the caller has applied the other settings) and starts watching. */
    static Conductor start(Hosts hosts, List<Order> orders) {
        Conductor c = new Conductor(hosts, orders);
        for (Order o : orders) {
            hosts.set(o.hold(), o.pauseSetting());
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
        try {
            conductOrders();
        } catch (RuntimeException e) {
            // another JVM went away: the run ends without its orders, and the explorer says which JVM went
        }
    }

    private void conductOrders() {
        int n = orders.size();
        long[] heldSince = new long[n];
        long[] untilBefore = new long[n];
        long[] reachedAt = new long[n];
        boolean[] done = new boolean[n];
        int left = n;
        long poll = hosts.remote() ? REMOTE_POLL_NANOS : POLL_NANOS;
        while (!stop && left > 0) {
            long now = System.nanoTime();
            for (int i = 0; i < n; i++) {
                if (done[i]) {
                    continue;
                }
                Order o = orders.get(i);
                if (heldSince[i] == 0) {
                    long until = hosts.status(o.until()).evaluations();
                    if (hosts.status(o.hold()).fired("pause") > 0) {
                        heldSince[i] = now;   // crossings of until since the last poll before the hold count
                    } else {
                        untilBefore[i] = until;
                    }
                    continue;
                }
                if (reachedAt[i] == 0 && hosts.status(o.until()).evaluations() > untilBefore[i]) {
                    reachedAt[i] = now;
                }
                boolean reached = reachedAt[i] != 0 && now - reachedAt[i] >= o.lagMillis() * 1_000_000L;
                if (reached || now - heldSince[i] >= o.maxWaitMillis() * 1_000_000L) {
                    heldNanos[i] = now - heldSince[i];
                    hosts.set(o.hold(), "off");
                    done[i] = true;
                    left--;
                }
            }
            LockSupport.parkNanos(poll);
        }
    }

    /** Stops watching; the caller resets the points, which lets any thread still held go. */
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
