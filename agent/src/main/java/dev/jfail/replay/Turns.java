package dev.jfail.replay;

import dev.jfail.core.Crossings;
import dev.jfail.trace.FailPointTrace;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Replay in the recorded order: while a replay runs, a thread that reaches an armed point waits
 * until it is the turn of its next recorded crossing (every earlier crossing, of any thread, has
 * happened), then gets that crossing's recorded decision. Threads are matched by name.
 *
 * <p>Ordering points (armed only so that their crossings join the order, e.g. every lock operation
 * of a model) are kept leniently: a thread that crosses one more or fewer of them than recorded
 * passes, and a turn at one that does not come within {@link #ORDERING_PATIENCE} is skipped (and
 * so are that thread's next ordering turns, at once, until it reaches a point again: a thread
 * blocked elsewhere does not hold the others up turn after turn). The other points are kept strictly.
 *
 * <p>A gate is a point crossed just before an ordering point, with only the taking of a lock between
 * them (the kernel model's {@code sched_lock_pre_op} before {@code sched_lock_post_op}): the record
 * has the crossings of the ordering point, so it says in which order threads got the lock, not in
 * which order they went for it. A thread at a gate waits for the turn of its next crossing of the
 * gated point, goes for the lock, and its crossing there is made in that turn; so the lock is taken
 * in the recorded order, and no thread waits for a turn while it holds the lock. A gate's crossing
 * is not in the record and decides nothing. At a gated point a thread never waits: if its gate did
 * not hold it (it went for the lock from another place than recorded), the crossing is taken out
 * of turn and counted as skipped.
 *
 * <p>Never a hang: a thread that waits longer than the patience for the turn of a strict crossing,
 * or reaches a strict point other than the one recorded next for it, ends the enforcement for the
 * rest of the run (every waiting thread goes on at once, deciding by its rolls as usual) and the
 * {@link Result} says which thread waited at which point for which crossing, and whose turn it was.
 */
public final class Turns {

    /** How long a thread waits for its turn unless told otherwise. */
    public static final Duration DEFAULT_PATIENCE = Duration.ofSeconds(2);
    /** How long a turn at an ordering point may keep others waiting before it is skipped. */
    public static final Duration ORDERING_PATIENCE = Duration.ofMillis(200);

    private static volatile Turns active;

    private final List<ReplayFile.Crossing> order;
    private final Set<String> orderingPoints;
    /** Gate point to the ordering point whose turn it waits for. */
    private final Map<String, String> gates;
    private final Set<String> gated;
    private final long patienceNanos;
    private final long orderingPatienceNanos;
    private final Map<String, Deque<Integer>> perThread = new HashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition advanced = lock.newCondition();
    // guarded by lock
    private final BitSet done = new BitSet();
    private int cursor; // the first crossing not done: whose turn it is
    private int enforced;
    private int skipped;
    private int unrecorded;
    private String firstSkip;
    /** Threads whose ordering turn did not come: their ordering crossings are skipped at once until they show up. */
    private final Set<String> stalled = new java.util.HashSet<>();
    private String abandoned;
    private boolean endedByInterrupt;

    private Turns(List<ReplayFile.Crossing> order, Set<String> orderingPoints, Map<String, String> gates, Duration patience) {
        this.order = List.copyOf(order);
        this.orderingPoints = Set.copyOf(orderingPoints);
        this.gates = Map.copyOf(gates);
        this.gated = Set.copyOf(gates.values());
        this.patienceNanos = patience.toNanos();
        this.orderingPatienceNanos = Math.min(patienceNanos, ORDERING_PATIENCE.toNanos());
        for (int i = 0; i < this.order.size(); i++) {
            perThread.computeIfAbsent(this.order.get(i).thread(), t -> new ArrayDeque<>()).add(i);
        }
    }

    /**
     * Starts enforcing {@code order} on every armed point of this JVM until {@link #finish()}, all
     * of them strictly.
     *
     * @throws IllegalStateException when a replay already runs
     */
    public static Turns start(List<ReplayFile.Crossing> order, Duration patience) {
        return start(order, Set.of(), patience);
    }

    /** {@link #start(List, Duration)}, keeping the crossings of {@code orderingPoints} leniently. */
    public static Turns start(List<ReplayFile.Crossing> order, Set<String> orderingPoints, Duration patience) {
        return start(order, orderingPoints, Map.of(), patience);
    }

    /** Starts enforcing the order of replay file {@code rf}, with its ordering points and gates. */
    public static Turns start(ReplayFile rf, Duration patience) {
        return start(rf.crossings(), rf.orderPoints(), rf.orderGates(), patience);
    }

    /**
     * {@link #start(List, Set, Duration)} with {@code gates}: each key a point where a thread waits
     * for the turn of its next crossing of the ordering point that is its value.
     *
     * @throws IllegalArgumentException when a gate's point is not an ordering point
     */
    public static synchronized Turns start(List<ReplayFile.Crossing> order, Set<String> orderingPoints,
                                           Map<String, String> gates, Duration patience) {
        if (patience.isNegative() || patience.isZero()) {
            throw new IllegalArgumentException("patience must be positive, not " + patience);
        }
        gates.forEach((gate, point) -> {
            if (!orderingPoints.contains(point)) {
                throw new IllegalArgumentException("gate " + gate + " opens " + point + ", which is not an ordering point");
            }
        });
        if (active != null) {
            throw new IllegalStateException("a replay is already running");
        }
        Turns t = new Turns(order, orderingPoints, gates, patience);
        active = t;
        Crossings.scheduleWith(Turns::awaitTurn); // armed points now wait for their turns
        return t;
    }

    /**
     * Called by an armed point before it decides: null when no replay runs or the thread is free
     * (enforcement ended, or it has no recorded crossing left), else the recorded decision, once it
     * is this crossing's turn.
     */
    public static Turn awaitTurn(String point, String site, Thread me) {
        Turns t = active;
        return t == null ? null : t.await(point, t.orderingPoints.contains(point) || t.gates.containsKey(point)
                ? FailPointTrace.where(site) : "", me);
    }

    /**
     * A recorded decision: which terms of the setting fire. The next crossing's turn comes when
     * this one has been {@link #crossed()} (decided and recorded), so the new record keeps the order.
     */
    public static final class Turn implements Crossings.Turn {
        private final Turns turns;
        private final int crossing;
        private final BitSet fires;

        Turn(Turns turns, int crossing, BitSet fires) {
            this.turns = turns;
            this.crossing = crossing;
            this.fires = fires;
        }

        /** The crossing is decided and recorded: the next one may go. */
        @Override
        public void crossed() {
            turns.markDone(crossing - 1, true);
        }

        /** Whether term {@code index} (0-based, in the setting's order) fired at this crossing. */
        @Override
        public boolean fires(int index) {
            return fires.get(index);
        }

        /** The crossing's number in the record, from 1. */
        public int crossing() {
            return crossing;
        }
    }

    private Turn await(String point, String where, Thread me) {
        String name = me.getName();
        lock.lock();
        try {
            stalled.remove(name);
            Deque<Integer> mine = perThread.get(name);
            if (abandoned != null || mine == null || mine.isEmpty()) {
                unrecorded += abandoned == null ? 1 : 0;
                return null;
            }
            String opens = gates.get(point);
            if (opens != null) {
                Integer at = matchOrdering(mine, opens, callers(where), Turns::callers);
                if (at != null) {
                    waitForTurn(at, name, point, false);
                }
                return null; // the crossing is the gated point's
            }
            int idx = mine.peekFirst();
            if (orderingPoints.contains(point)) {
                Integer at = matchOrdering(mine, point, where, w -> w);
                if (at == null) {
                    unrecorded++; // an ordering crossing the record does not have here: let it pass
                    return null;
                }
                idx = at;
                if (gated.contains(point) && cursor < idx) {
                    mine.remove(idx); // out of turn: never wait with the lock the gate guards held
                    skipped++;
                    markDoneLocked(idx);
                    return null;
                }
            } else if (!order.get(idx).point().equals(point)) {
                Integer found = skipOrderingCrossingsTo(mine, point);
                if (found == null) {
                    abandon("thread " + name + " reached point " + point + " where the record has crossing #" + (idx + 1)
                            + " at point " + order.get(idx).point());
                    return null;
                }
                idx = found;
            }
            if (!waitForTurn(idx, name, point, !orderingPoints.contains(point))) {
                return null;
            }
            mine.remove(idx);
            return new Turn(this, idx + 1, order.get(idx).firedTerms());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Under the lock: waits until crossing {@code idx} (the thread {@code name}'s, at {@code point})
     * has its turn, skipping ordering turns that do not come; {@code running}: yielding, never parked
     * ({@link #yieldFor}). False when the order was given up.
     */
    private boolean waitForTurn(int idx, String name, String point, boolean running) {
        long waitedFor = -1;
        long left = 0;
        while (cursor < idx && abandoned == null) {
            if (waitedFor != cursor) { // a new turn to wait for: a fresh patience
                waitedFor = cursor;
                ReplayFile.Crossing turn = order.get(cursor);
                boolean ordering = orderingPoints.contains(turn.point());
                left = !ordering ? patienceNanos : stalled.contains(turn.thread()) ? 0 : orderingPatienceNanos;
            }
            if (left <= 0) {
                ReplayFile.Crossing turn = order.get(cursor);
                String why = "thread " + name + " waited " + TimeUnit.NANOSECONDS.toMillis(
                        orderingPoints.contains(turn.point()) ? orderingPatienceNanos : patienceNanos)
                        + " ms at point " + point + " for crossing #" + (idx + 1) + "; the turn of crossing #"
                        + (cursor + 1) + " (thread " + turn.thread() + " at point " + turn.point() + ") never came"
                        + (orderingPoints.contains(turn.point()) ? "" : " (" + turn.thread() + " " + whereIs(turn.thread()) + ")");
                if (!orderingPoints.contains(turn.point())) {
                    abandon(why);
                    return false;
                }
                if (firstSkip == null) {
                    firstSkip = why + " (" + turn.thread() + " " + whereIs(turn.thread()) + ")";
                }
                stalled.add(turn.thread());
                Deque<Integer> theirs = perThread.get(turn.thread());
                if (theirs != null) {
                    theirs.remove(cursor);
                }
                skipped++;
                markDoneLocked(cursor);
                continue;
            }
            try {
                left = running ? yieldFor(left) : advanced.awaitNanos(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (abandoned == null) {
                    endedByInterrupt = true; // the application stops its threads: the run ends, nothing diverged
                }
                abandon("the run ended: thread " + name + " was interrupted while it waited at point " + point
                        + " for crossing #" + (idx + 1));
                return false;
            }
        }
        return abandoned == null;
    }

    /**
     * Under the lock: lets it go and yields the processor once, without parking; what is left of
     * {@code nanos}. How a thread waits for a strict turn: it was running when it crossed the point
     * in the record, and code that looks at threads (a lock that passes over a thread it sees
     * blocked, as OpenBSD's kernel lock in the model does) must see it running in the replay too.
     */
    private long yieldFor(long nanos) throws InterruptedException {
        long start = System.nanoTime();
        lock.unlock();
        Thread.yield();
        while (!lock.tryLock()) { // not lock(): that parks when another thread holds it
            Thread.onSpinWait();
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        return nanos - (System.nanoTime() - start);
    }

    /** How far ahead in a thread's own crossings an ordering crossing is looked for. */
    private static final int ORDERING_LOOKAHEAD = 32;

    /**
     * The thread's recorded ordering crossing that this one is: its next one if it was made at the
     * same place, else the first within {@link #ORDERING_LOOKAHEAD} that was (the ordering crossings
     * before it are skipped: the thread made fewer of them this time), else null (it makes one more).
     * Never past a strict crossing. {@code recordedAs} makes a recorded where comparable with {@code where}.
     */
    private Integer matchOrdering(Deque<Integer> mine, String point, String where,
                                  java.util.function.UnaryOperator<String> recordedAs) {
        int n = 0;
        for (int i : mine) {
            ReplayFile.Crossing c = order.get(i);
            if (!orderingPoints.contains(c.point()) || n >= ORDERING_LOOKAHEAD) {
                return null;
            }
            if (c.point().equals(point) && (c.where().isEmpty() || where.isEmpty() || recordedAs.apply(c.where()).equals(where))) {
                skipFirst(mine, n);
                return i;
            }
            n++;
        }
        return null;
    }

    /**
     * A {@link FailPointTrace#where} without its site and its first caller's line: the same for a
     * gate and the point it opens when they are called one after the other from one method
     * ({@code Kernel.sched_lock < SleepLock.xlock:66 < ...}).
     */
    static String callers(String where) {
        int from = where.indexOf(" < ");
        if (from < 0) {
            return where;
        }
        String rest = where.substring(from + 3);
        int end = rest.indexOf(" < ");
        String first = end < 0 ? rest : rest.substring(0, end);
        int colon = first.lastIndexOf(':');
        return (colon < 0 ? first : first.substring(0, colon)) + (end < 0 ? "" : rest.substring(end));
    }

    /** Skips the thread's first {@code n} recorded crossings (they were ordering ones it did not make). */
    private void skipFirst(Deque<Integer> mine, int n) {
        for (int k = 0; k < n; k++) {
            markDoneLocked(mine.removeFirst());
            skipped++;
        }
    }

    /**
     * The thread reached strict point {@code point} early: if only ordering crossings of its own
     * come before its next crossing at {@code point}, they are skipped and that crossing is returned.
     */
    private Integer skipOrderingCrossingsTo(Deque<Integer> mine, String point) {
        int n = 0;
        for (int i : mine) {
            String p = order.get(i).point();
            if (p.equals(point)) {
                skipFirst(mine, n);
                return i;
            }
            if (!orderingPoints.contains(p)) {
                return null;
            }
            n++;
        }
        return null;
    }

    private void markDone(int index, boolean inTurn) {
        lock.lock();
        try {
            if (inTurn) {
                enforced++;
            }
            markDoneLocked(index);
        } finally {
            lock.unlock();
        }
    }

    private void markDoneLocked(int index) {
        done.set(index);
        cursor = done.nextClearBit(cursor);
        advanced.signalAll();
    }

    /**
     * Where the thread named {@code name} is now, for a turn that never came: its state and its
     * first frames outside the JDK ({@code WAITING in Kernel.sleepq_wait:530 < SleepLock.xlock:70}).
     */
    static String whereIs(String name) {
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            if (!e.getKey().getName().equals(name)) {
                continue;
            }
            StringBuilder b = new StringBuilder("was ").append(e.getKey().getState());
            int shown = 0;
            for (StackTraceElement f : e.getValue()) {
                String c = f.getClassName();
                if (c.startsWith("java.") || c.startsWith("jdk.") || c.startsWith("sun.")) {
                    continue;
                }
                b.append(shown == 0 ? " in " : " < ").append(c.substring(c.lastIndexOf('.') + 1)).append('.')
                        .append(f.getMethodName()).append(':').append(f.getLineNumber());
                if (++shown == 4) {
                    break;
                }
            }
            return b.toString();
        }
        return "is not running";
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
                Crossings.scheduleWith(null);
            }
        }
        lock.lock();
        try {
            String why = abandoned;
            boolean gaveUp = why != null && !endedByInterrupt;
            if (why == null && cursor < order.size()) {
                ReplayFile.Crossing next = order.get(cursor);
                why = "the run ended before crossing #" + (cursor + 1) + " (thread " + next.thread() + " at point "
                        + next.point() + ")";
            }
            abandoned = why == null ? "finished" : why;
            advanced.signalAll();
            return new Result(order.size(), enforced, skipped, unrecorded, why, gaveUp, firstSkip);
        } finally {
            lock.unlock();
        }
    }

    /**
     * How a replay went.
     *
     * @param recorded   crossings in the record
     * @param enforced   how many of them happened in their turn with their decision
     * @param skipped    ordering crossings skipped (a thread crossed fewer, or their turn did not come)
     * @param unrecorded crossings beyond the record (by threads with none left, or unknown, or extra
     *                   ordering crossings)
     * @param stopped    why enforcement stopped before the record's end, or null when every crossing was done
     * @param gaveUp     whether it stopped because the replay gave the order up (a divergence, a turn that
     *                   never came), not because the run ended first (as it does when it fails early)
     * @param firstSkip  why the first ordering crossing was skipped for want of its turn, or null
     */
    public record Result(int recorded, int enforced, int skipped, int unrecorded, String stopped, boolean gaveUp,
                         String firstSkip) {
        /** Whether the order was kept for as long as the run ran. */
        public boolean followed() {
            return !gaveUp;
        }
    }
}
