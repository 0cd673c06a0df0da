package dev.jfail.trace;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Replay in the recorded order: while a replay runs, a thread that reaches an armed point waits
 * until it is the turn of its next recorded crossing (every earlier crossing, of any thread, has
 * happened), then gets that crossing's recorded decision. Threads are matched by name.
 *
 * <p>Never a hang: a thread that waits longer than the patience for its turn, or reaches a point
 * other than the one recorded next for it, ends the enforcement for the rest of the run (every
 * waiting thread goes on at once, deciding by its rolls as usual) and the {@link Result} says which
 * thread waited at which point for which crossing, and whose turn it was.
 */
public final class Turns {

    /** How long a thread waits for its turn unless told otherwise. */
    public static final Duration DEFAULT_PATIENCE = Duration.ofSeconds(2);

    private static volatile Turns active;

    private final List<ReplayFile.Crossing> order;
    private final long patienceNanos;
    private final Map<String, Deque<Integer>> perThread = new HashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition advanced = lock.newCondition();
    // guarded by lock
    private int cursor;
    private String abandoned;
    private int unrecorded;

    private Turns(List<ReplayFile.Crossing> order, Duration patience) {
        this.order = List.copyOf(order);
        this.patienceNanos = patience.toNanos();
        for (int i = 0; i < this.order.size(); i++) {
            perThread.computeIfAbsent(this.order.get(i).thread(), t -> new ArrayDeque<>()).add(i);
        }
    }

    /**
     * Starts enforcing {@code order} on every armed point of this JVM until {@link #finish()}.
     *
     * @throws IllegalStateException when a replay already runs
     */
    public static synchronized Turns start(List<ReplayFile.Crossing> order, Duration patience) {
        if (patience.isNegative() || patience.isZero()) {
            throw new IllegalArgumentException("patience must be positive, not " + patience);
        }
        if (active != null) {
            throw new IllegalStateException("a replay is already running");
        }
        Turns t = new Turns(order, patience);
        active = t;
        return t;
    }

    /**
     * Called by an armed point before it decides: null when no replay runs or the thread is free
     * (enforcement ended, or it has no recorded crossing left), else the recorded decision, once it
     * is this crossing's turn.
     */
    public static Turn awaitTurn(String point, Thread me) {
        Turns t = active;
        return t == null ? null : t.await(point, me);
    }

    /**
     * A recorded decision: which terms of the setting fire. The next crossing's turn comes when
     * this one has been {@link #crossed()} (decided and recorded), so the new record keeps the order.
     */
    public static final class Turn {
        private final Turns turns;
        private final int crossing;
        private final BitSet fires;

        Turn(Turns turns, int crossing, BitSet fires) {
            this.turns = turns;
            this.crossing = crossing;
            this.fires = fires;
        }

        /** The crossing is decided and recorded: the next one may go. */
        public void crossed() {
            turns.advance(crossing);
        }

        /** Whether term {@code index} (0-based, in the setting's order) fired at this crossing. */
        public boolean fires(int index) {
            return fires.get(index);
        }

        /** The crossing's number in the record, from 1. */
        public int crossing() {
            return crossing;
        }
    }

    private Turn await(String point, Thread me) {
        String name = me.getName();
        lock.lock();
        try {
            Deque<Integer> mine = perThread.get(name);
            if (abandoned != null || mine == null || mine.isEmpty()) {
                unrecorded += abandoned == null ? 1 : 0;
                return null;
            }
            int idx = mine.peekFirst();
            ReplayFile.Crossing expected = order.get(idx);
            if (!expected.point().equals(point)) {
                abandon("thread " + name + " reached point " + point + " where the record has crossing #" + (idx + 1)
                        + " at point " + expected.point());
                return null;
            }
            long left = patienceNanos;
            while (cursor < idx && abandoned == null) {
                if (left <= 0) {
                    ReplayFile.Crossing turn = order.get(cursor);
                    abandon("thread " + name + " waited " + TimeUnit.NANOSECONDS.toMillis(patienceNanos)
                            + " ms at point " + point + " for crossing #" + (idx + 1) + "; the turn of crossing #"
                            + (cursor + 1) + " (thread " + turn.thread() + " at point " + turn.point() + ") never came");
                    return null;
                }
                try {
                    left = advanced.awaitNanos(left);
                } catch (InterruptedException e) {
                    me.interrupt();
                    abandon("thread " + name + " was interrupted while it waited at point " + point
                            + " for crossing #" + (idx + 1));
                    return null;
                }
            }
            if (abandoned != null) {
                return null;
            }
            mine.pollFirst();
            return new Turn(this, idx + 1, expected.firedTerms());
        } finally {
            lock.unlock();
        }
    }

    private void advance(int crossed) {
        lock.lock();
        try {
            cursor = Math.max(cursor, crossed);
            advanced.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock: ends enforcement, lets every waiting thread go. */
    private void abandon(String why) {
        if (abandoned == null) {
            abandoned = why;
        }
        advanced.signalAll();
    }

    /** Stops enforcing; every waiting thread goes on. What happened. */
    public Result finish() {
        synchronized (Turns.class) {
            if (active == this) {
                active = null;
            }
        }
        lock.lock();
        try {
            String why = abandoned;
            if (why == null && cursor < order.size()) {
                ReplayFile.Crossing next = order.get(cursor);
                why = "the run ended before crossing #" + (cursor + 1) + " (thread " + next.thread() + " at point "
                        + next.point() + ")";
            }
            abandoned = why == null ? "finished" : why;
            advanced.signalAll();
            return new Result(order.size(), cursor, unrecorded, why);
        } finally {
            lock.unlock();
        }
    }

    /**
     * How a replay went.
     *
     * @param recorded   crossings in the record
     * @param enforced   how many of them happened in their turn with their decision
     * @param unrecorded crossings beyond the record (by threads with none left, or unknown)
     * @param stopped    why enforcement stopped early, or null when every crossing had its turn
     */
    public record Result(int recorded, int enforced, int unrecorded, String stopped) {
        /** Whether every recorded crossing happened in its turn. */
        public boolean followed() {
            return stopped == null && enforced == recorded;
        }
    }
}
