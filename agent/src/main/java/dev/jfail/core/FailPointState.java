package dev.jfail.core;

import dev.jfail.FailPointStatus.ThreadInPoint;
import dev.jfail.FailPointStatus;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MutableCallSite;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One named failpoint. Canonical per name in its registry: never replaced or removed, so
 * instrumented code may hold on to it forever.
 *
 * <p>The live setting is one volatile reference, null while off: {@link #isArmed()} is one read
 * and one branch, and {@link #evaluate()} reads it once, so a concurrent store never mixes two
 * settings. Stores, self-off and the switching of the checks' call sites happen under {@link #lock}.
 */
public final class FailPointState {

    private final String name;
    private final FailPointRegistry registry;
    private final Outcome panic;

    /** The stored setting; null while off. */
    private volatile ArmedSetting setting;

    /** The call sites of this point's checks in instrumented code. Guarded by {@link #lock}. */
    private final List<Check> checks = new ArrayList<>();

    /** A check's call site, and the targets it is switched between. */
    private record Check(MutableCallSite site, MethodHandle off, MethodHandle armed) {
        MethodHandle target(boolean isArmed) {
            return isArmed ? armed : off;
        }
    }

    /** Guards stores and the pause generation; paused threads wait on {@link #released}. */
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition released = lock.newCondition();
    /** Bumped each time paused threads are released. Guarded by {@link #lock}. */
    private long pauseEpoch;

    private final List<Site> sites = new CopyOnWriteArrayList<>();
    private final LongAdder evaluations = new LongAdder();
    private final LongAdder[] fired = new LongAdder[FailPointType.values().length];
    private final Map<Thread, ThreadInPoint.State> held = new ConcurrentHashMap<>();
    private final ThreadLocal<Rolls> rolls = new ThreadLocal<>();

    FailPointState(String name, FailPointRegistry registry) {
        this.name = name;
        this.registry = registry;
        this.panic = new Outcome.Panic("fail point " + name + " panicking");
        for (int i = 0; i < fired.length; i++) { // a loop, not a lambda: points are made at JVM start
            fired[i] = new LongAdder();
        }
    }

    /** The name. */
    public String name() {
        return name;
    }

    /**
     * Fast path: whether a setting other than off is stored. One volatile read; instrumented code
     * calls {@link #evaluate()} only when this is true.
     */
    public boolean isArmed() {
        return setting != null;
    }

    /**
     * The call site of one check of this point in instrumented code: its target is {@code off}
     * while the point is off and {@code armed} (which evaluates it) while it is armed, switched
     * (setTarget + syncAll) on every transition. The JIT inlines the target as a constant, so an
     * off check is folded away entirely; the interpreter runs a single small handle.
     */
    public MutableCallSite check(MethodHandle off, MethodHandle armed) {
        lock.lock();
        try {
            Check c = new Check(new MutableCallSite(off.type()), off, armed);
            c.site().setTarget(c.target(setting != null));
            checks.add(c);
            return c.site();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Slow path: walks the terms for the current thread, counts, carries out sleep/delay/yield/
     * pause/print/break itself, and returns what the carrying method must do.
     */
    public Outcome evaluate() {
        return evaluate(null);
    }

    /**
     * {@link #evaluate()} at {@code site} (the carrying method, for the trace; null if unknown).
     * First decides which terms fire (in a replay: the recorded decision, in the recorded turn),
     * reports the crossing to the trace, then acts.
     */
    public Outcome evaluate(String site) {
        ArmedSetting s = setting;
        evaluations.increment();
        if (s == null) {
            PointChanges.changed();
            return Outcome.PROCEED;
        }
        Thread me = Thread.currentThread();
        Crossings.Turn turn = Crossings.awaitTurn(name, site, me);
        Crossings.Observer trace = Crossings.observer();
        boolean traced = turn != null || trace.listening();
        boolean[] fires = null; // made when a term fires, the rolls kept only for the trace
        int[] rolled = null;
        for (int i = 0; i < s.terms.length; i++) {
            Term term = s.terms[i];
            if (s.isStale(i) || (term.pid() != Term.ANY_THREAD && term.pid() != threadId(me))) {
                continue;
            }
            boolean hit = true;
            if (term.probability() < Term.PROB_MAX) {
                int roll = rolls(me).nextMillionth();
                hit = roll < term.probability();
                if (traced) {
                    rolled = Crossings.rolled(rolled, s.terms.length, i, roll);
                }
            }
            if (turn != null) {
                hit = turn.fires(i); // the recorded decision; the roll above keeps the sequence in step
            }
            if (!hit || !s.take(i)) {
                continue;
            }
            if (fires == null) {
                fires = new boolean[s.terms.length];
            }
            fires[i] = true;
            fired[term.type().ordinal()].increment();
            if (term.type() != FailPointType.PRINT || term.argument() == 0) {
                break; // only print(1) goes on to the next term
            }
        }
        PointChanges.changed(); // the counts above: a wait on them wakes
        if (traced) {
            trace.evaluated(name, site, s.text, s.terms, rolled, fires);
        }
        if (turn != null) {
            turn.crossed();
        }
        if (fires == null) {
            return Outcome.PROCEED;
        }
        Outcome outcome = Outcome.PROCEED;
        for (int i = 0; i < fires.length; i++) {
            if (!fires[i]) {
                continue;
            }
            Term term = s.terms[i];
            if (term.counted() && s.allStale()) {
                selfOff(s); // before acting: a pause or sleep must not keep a spent point armed
            }
            trace.fired(name, site, term.type().token(), term.argument(),
                    term.type() == FailPointType.RETURN ? Long.toString(term.argument()) : null);
            switch (term.type()) {
                case OFF:
                    break;
                case PANIC:
                    trace.panicked(name, site, ((Outcome.Panic) panic).message());
                    outcome = term.thrown() == null ? panic : new Outcome.Panic(((Outcome.Panic) panic).message(), term.thrown());
                    break;
                case RETURN:
                    outcome = s.returns[i];
                    break;
                case BREAK:
                    Debugger.breakInto(name);
                    break;
                case PRINT:
                    PrintLog.LOG.log(System.Logger.Level.INFO, "fail point " + name + " executing");
                    break;
                case SLEEP:
                    sleep(me, site, term.argument());
                    break;
                case PAUSE:
                    pause(me, site, s);
                    break;
                case YIELD:
                    Thread.yield();
                    break;
                case DELAY:
                    delay(me, site, term.argument());
                    break;
                default:
                    throw new AssertionError(term.type());
            }
        }
        return outcome;
    }

    /** Declares a method that carries this point; later settings are checked against its return type. */
    public void declare(Site site) {
        lock.lock();
        try {
            if (!sites.contains(site)) {
                sites.add(site);
            }
            ArmedSetting s = setting;
            if (s != null) {
                for (Term term : s.terms) {
                    String problem = term.type() == FailPointType.RETURN
                            ? ReturnValues.problem(site.returnType(), term.argument()) : null;
                    if (problem != null) {
                        System.err.println("jfail: warning: failpoint " + name + " is set to '" + s.source.readBack()
                                + "', but " + ReturnValues.message(site, term.argument(), problem));
                    }
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** The methods that carry this point, with their return types (the explorer asks which can fail). */
    public List<Site> sites() {
        return List.copyOf(sites);
    }

    /** Whether code carrying this point has been declared. */
    public boolean declared() {
        return !sites.isEmpty();
    }

    /** The live setting in FreeBSD's read-back form. */
    public String get() {
        ArmedSetting s = setting;
        return s == null ? "off" : s.readBack();
    }

    /**
     * Throws {@link IllegalArgumentException} naming the method when a declared site cannot take
     * one of the setting's {@code return(n)}.
     */
    void check(ParsedSetting parsed) {
        for (Term term : parsed.terms()) {
            if (term.type() == FailPointType.RETURN) {
                for (Site site : sites) {
                    String problem = ReturnValues.problem(site.returnType(), term.argument());
                    if (problem != null) {
                        throw new IllegalArgumentException("failpoint " + name + ": "
                                + ReturnValues.message(site, term.argument(), problem));
                    }
                }
            }
        }
    }

    /** Stores a checked setting; releases paused threads when it contains {@code off}. */
    void store(ParsedSetting parsed) {
        lock.lock();
        try {
            check(parsed);
            if (parsed.releasesPaused()) {
                releasePaused();
            }
            install(parsed.isOff() ? null : new ArmedSetting(parsed, pauseEpoch));
        } finally {
            lock.unlock();
        }
    }

    /** Off, counters cleared, paused threads released. */
    void reset() {
        lock.lock();
        try {
            releasePaused();
            install(null);
            evaluations.reset();
            for (LongAdder f : fired) {
                f.reset();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Adds the threads paused in this point right now to {@code into}, with the point's name; no stacks, so cheap to poll. */
    void pausedThreads(Map<Thread, String> into) {
        held.forEach((thread, state) -> {
            if (state == ThreadInPoint.State.PAUSED) {
                into.put(thread, name);
            }
        });
    }

    /** A snapshot for {@code status}. */
    FailPointStatus status() {
        Map<String, Long> fires = new TreeMap<>();
        for (FailPointType type : FailPointType.values()) {
            long n = fired[type.ordinal()].sum();
            if (n != 0) {
                fires.put(type.token(), n);
            }
        }
        List<ThreadInPoint> threads = new ArrayList<>();
        held.forEach((thread, state) -> threads.add(new ThreadInPoint(thread.getName(), threadId(thread), state,
                Arrays.asList(thread.getStackTrace()))));
        List<String> methods = sites.stream().map(Site::method).toList();
        return new FailPointStatus(name, get(), declared(), methods, evaluations.sum(), fires, threads);
    }

    // --- transitions, under lock --------------------------------------------------------------

    private void install(ArmedSetting next) {
        boolean wasArmed = setting != null;
        setting = next;
        if (wasArmed != (next != null) && !checks.isEmpty()) {
            MutableCallSite[] switched = new MutableCallSite[checks.size()];
            for (int i = 0; i < switched.length; i++) {
                Check c = checks.get(i);
                c.site().setTarget(c.target(next != null));
                switched[i] = c.site();
            }
            MutableCallSite.syncAll(switched);
        }
    }

    private void releasePaused() {
        pauseEpoch++;
        released.signalAll();
    }

    /** Every term is stale: turn off, unless another setting was stored meanwhile. */
    private void selfOff(ArmedSetting stale) {
        lock.lock();
        try {
            if (setting == stale) {
                install(null);
            }
        } finally {
            lock.unlock();
        }
    }

    // --- actions -----------------------------------------------------------------------------

    private Rolls rolls(Thread me) {
        Rolls r = rolls.get();
        int generation = registry.generation();
        String threadName = me.getName();
        if (r == null || r.generation != generation || !r.threadName.equals(threadName)) {
            r = new Rolls(registry.seed(), name, threadName, generation);
            rolls.set(r);
        }
        return r;
    }

    /** Thread.sleep; an interrupt ends the sleep and is re-asserted, not lost. */
    private void sleep(Thread me, String site, long millis) {
        if (millis <= 0) {
            return;
        }
        String action = "sleep(" + millis + ")";
        Object traced = Crossings.observer().sleepBegin(name, site, action);
        held.put(me, ThreadInPoint.State.SLEEPING);
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            me.interrupt();
        } finally {
            held.remove(me);
            Crossings.observer().sleepEnd(traced, name, site, action);
        }
    }

    /** Busy-waits; an interrupt ends it early (and stays set) so a huge delay never hangs a thread for good. */
    private void delay(Thread me, String site, long micros) {
        if (micros <= 0) {
            return;
        }
        String action = "delay(" + micros + ")";
        Object traced = Crossings.observer().sleepBegin(name, site, action);
        held.put(me, ThreadInPoint.State.DELAYING);
        try {
            long start = System.nanoTime();
            long nanos = micros > Long.MAX_VALUE / 1000 ? Long.MAX_VALUE : TimeUnit.MICROSECONDS.toNanos(micros);
            while (System.nanoTime() - start < nanos && !me.isInterrupted()) {
                Thread.onSpinWait();
            }
        } finally {
            held.remove(me);
            Crossings.observer().sleepEnd(traced, name, site, action);
        }
    }

    /**
     * Parks until the point is set to a setting containing {@code off}, or reset: any release after
     * {@code asker} was stored ends the pause (so a release that raced with this evaluation is not
     * missed). An interrupt ends the pause and is re-asserted.
     */
    private void pause(Thread me, String site, ArmedSetting asker) {
        Object traced = Crossings.observer().pauseBegin(name, site);
        lock.lock();
        try {
            held.put(me, ThreadInPoint.State.PAUSED);
            PointChanges.changed(); // a hold's awaitHeld wakes
            while (pauseEpoch == asker.pauseEpoch) {
                released.await();
            }
        } catch (InterruptedException e) {
            me.interrupt();
        } finally {
            held.remove(me);
            PointChanges.changed(); // a release's wait for the point to empty wakes
            lock.unlock();
            Crossings.observer().pauseEnd(traced, name, site);
        }
    }

    @SuppressWarnings("deprecation") // Thread.threadId() is JDK 19+; getId() is the same number
    public static long threadId(Thread t) {
        return t.getId();
    }

    @Override
    public String toString() {
        return name + "=" + get();
    }

    /** The logger of {@code print}, made on first use: finding the JVM's logging backend costs some 40 classes at start-up. */
    private static final class PrintLog {
        static final System.Logger LOG = System.getLogger("dev.jfail");
    }
}
