package dev.jfail.kernel.kern;

import dev.jfail.FailPoint;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * One booted kernel of the model: a run of a race gets a fresh one. It owns the threads
 * (kern_kthread.c), panic and KASSERT (kern_shutdown.c), the sleep queues (kern_synch.c:
 * msleep/wakeup, subr_sleepqueue.c) and our WITNESS for sleeps.
 *
 * <p>Every sleep of the model (locks, busy pages, msleep) goes through {@link #sleepq_wait}: one
 * scheduler lock ({@link #sched_lock}) guards all sleepable state, so the wait-for graph is exact,
 * a deadlock is reported the moment its last edge forms, and every sleep is bounded by the run's
 * time limit. The first panic, oops or deadlock stops the kernel: every sleep wakes with
 * {@link KernelStopped} and every kernel thread exits.
 */
public final class Kernel {

    /** Which kernel's console words to use. */
    public enum Flavor { FREEBSD, OPENBSD, LINUX }

    /** How a kernel stopped before its workload finished. */
    public enum FatalKind { PANIC, OOPS, DEADLOCK, TIMEOUT }

    /** The first fatal event: its kind, its one-line message, the thread, and the console text. */
    public record Fatal(FatalKind kind, String message, String thread, String report) {
    }

    /**
     * The format of the panic line, after the race's report: FreeBSD's {@code panic:} with ddb's
     * lines around it, OneFS's {@code panic @ time T, thread 0x...:} (D4103's report), OpenBSD's
     * {@code panic:}, and for Linux none (no race's report shows a Linux panic line: a panic of the
     * Linux model is the model's own).
     */
    public enum PanicHead { FREEBSD_DDB, ONEFS, OPENBSD, MODEL }

    /**
     * What a race's report shows when its kernel stops, so that the console prints that in the
     * report's format and everything else as the model's own ({@code model: } lines): the panic
     * line's format, and the report's backtrace, innermost first (empty: the report shows none).
     * A backtrace is printed in the report's format only where the model's frames are the report's
     * (frames the report's trace does not show, inlined there or the model's substrate, left out);
     * any other backtrace is the model's, on {@code model:} lines.
     */
    public record Shown(PanicHead head, List<String> trace) {
        public Shown {
            trace = List.copyOf(trace);
        }

        static Shown of(Flavor flavor) {
            return new Shown(switch (flavor) {
                case FREEBSD -> PanicHead.FREEBSD_DDB;
                case OPENBSD -> PanicHead.OPENBSD;
                case LINUX -> PanicHead.MODEL;
            }, List.of());
        }
    }

    /**
     * How to boot: whose console, which fixes are applied (by revision, e.g. {@code r291576}),
     * whether KASSERTs are compiled in ({@code options INVARIANTS}), the run's time limit, the seed
     * of the model's own randomness (0: a fresh one per boot), what the race's report shows.
     */
    public record Config(Flavor flavor, Set<String> patches, boolean invariants, Duration timeLimit, long seed,
                         Map<String, String> tunables, Shown shown) {
        public Config {
            patches = Set.copyOf(patches);
            tunables = Map.copyOf(tunables);
        }

        /** A FreeBSD kernel with INVARIANTS, no fix, a 10 s time limit. */
        public static Config freebsd() {
            return of(Flavor.FREEBSD);
        }

        /** The same for OpenBSD (its console words, its vfs_subr.c where the model has both). */
        public static Config openbsd() {
            return of(Flavor.OPENBSD);
        }

        /** The same for Linux (no Linux console format: see {@link PanicHead#MODEL}). */
        public static Config linux() {
            return of(Flavor.LINUX);
        }

        private static Config of(Flavor flavor) {
            return new Config(flavor, Set.of(), true, Duration.ofSeconds(10), 0, Map.of(), Shown.of(flavor));
        }

        public Config patched(String... revisions) {
            return new Config(flavor, Set.of(revisions), invariants, timeLimit, seed, tunables, shown);
        }

        public Config invariants(boolean on) {
            return new Config(flavor, patches, on, timeLimit, seed, tunables, shown);
        }

        public Config timeLimit(Duration limit) {
            return new Config(flavor, patches, invariants, limit, seed, tunables, shown);
        }

        public Config seed(long s) {
            return new Config(flavor, patches, invariants, timeLimit, s, tunables, shown);
        }

        /** Loader tunables / sysctls of the run (the race's params), e.g. {@code f_iosize=65536}. */
        public Config tunables(Map<String, String> t) {
            return new Config(flavor, patches, invariants, timeLimit, seed, t, shown);
        }

        /** What the race's report shows: its panic line's format and its backtrace, innermost first. */
        public Config shown(PanicHead head, String... trace) {
            return new Config(flavor, patches, invariants, timeLimit, seed, tunables, new Shown(head, List.of(trace)));
        }
    }

    /** Sleeps may outlive the time limit by this much before they give up on their own. */
    private static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final ThreadLocal<KThread> CURTHREAD = new ThreadLocal<>();
    private static final AtomicInteger BOOTS = new AtomicInteger();

    private final Config config;
    private final Map<Class<?>, Object> subsystems = new ConcurrentHashMap<>();
    private final ReentrantLock sched = new ReentrantLock();
    private final Condition changed = sched.newCondition();
    private final List<Runnable> wakeupListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Interrupt threads, and the completions handed to them and finished by them: guarded by sched. */
    private final java.util.Set<KThread> interruptThreads = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private long intrRaised;
    private long intrFinished;
    private final List<KThread> threads = new CopyOnWriteArrayList<>();
    private final AtomicReference<Fatal> fatal = new AtomicReference<>();
    private final StringBuilder console = new StringBuilder();
    private final AtomicInteger nextTid = new AtomicInteger(100000);
    private final AtomicLong nextAddr;
    private final Random random;
    private final long bootNanos = System.nanoTime();
    private final long deadlineNanos;
    private volatile boolean stopped;

    public Kernel(Config config) {
        this.config = config;
        // seed 0: a different sequence for every boot, so runs of a workload differ
        long seed = config.seed() != 0 ? config.seed() : System.nanoTime() ^ (BOOTS.get() * 0x9E3779B97F4A7C15L);
        this.random = new Random(seed);
        if (Ktr.enabled(Ktr.KTR_GEN)) {
            Ktr.CTR(Ktr.KTR_GEN, "boot", null, "seed " + seed);
        }
        // a direct-map address such as FreeBSD/amd64 prints, different per boot
        this.nextAddr = new AtomicLong(0xfffff8007e000000L + ((BOOTS.getAndIncrement() & 0xfff) << 20));
        this.deadlineNanos = bootNanos + config.timeLimit().toNanos();
    }

    public Config config() {
        return config;
    }

    public Flavor flavor() {
        return config.flavor();
    }

    /** Whether a fix (by revision, as the race's variant names it) is compiled in. */
    public boolean patched(String revision) {
        return config.patches().contains(revision);
    }

    /** A tunable of this boot as a long, or {@code dflt}; a malformed value is a clear error. */
    public long tunable(String name, long dflt) {
        String v = config.tunables().get(name);
        if (v == null) {
            return dflt;
        }
        try {
            return Long.decode(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("tunable " + name + "=" + v + ": not a number");
        }
    }

    /**
     * The per-boot state of a subsystem (vm_cnt, the page queues, the swap devices...), created on
     * first use: the kernel knows nothing of the subsystems above it.
     */
    public <T> T subsystem(Class<T> type, Function<Kernel, T> init) {
        return type.cast(subsystems.computeIfAbsent(type, t -> init.apply(this)));
    }

    /** The model's own randomness (the workload's, not the failpoints'), seeded by the config. */
    public int random(int bound) {
        synchronized (random) {
            return random.nextInt(bound);
        }
    }

    /** A fresh kernel virtual address for a structure of {@code size} bytes: what {@code %p} prints. */
    public String kmem_addr(int size) {
        long a = nextAddr.getAndAdd((size + 0x7f) & ~0x7fL);
        return "0x" + Long.toHexString(a);
    }

    /** Milliseconds since boot (hz = 1000). */
    public long ticks() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - bootNanos);
    }

    // ---------------------------------------------------------------- threads

    /** kthread_add: a kernel thread of pid 0, started at once. */
    public KThread kthread_add(String name, Runnable body) {
        return start(name, 0, "kernel", body);
    }

    /** A thread of user process {@code comm} (pid {@code pid}) running in the kernel (a syscall, a trap). */
    public KThread uthread_add(String comm, int pid, Runnable body) {
        return start(comm, pid, comm, body);
    }

    private KThread start(String name, int pid, String comm, Runnable body) {
        KThread td = new KThread(this, name, nextTid.getAndIncrement(), pid, comm, false);
        Thread t = new Thread(() -> {
            CURTHREAD.set(td);
            td.fork_exit(body);
        }, name);
        t.setDaemon(true);
        td.thread = t;
        threads.add(td);
        t.start();
        return td;
    }

    /** The current thread as this kernel knows it; a thread from outside is adopted on first use. */
    public KThread curthread() {
        KThread td = CURTHREAD.get();
        if (td != null && td.kernel == this) {
            return td;
        }
        Thread t = Thread.currentThread();
        td = new KThread(this, t.getName(), nextTid.getAndIncrement(), 1, t.getName(), true);
        td.thread = t;
        threads.add(td);
        CURTHREAD.set(td);
        return td;
    }

    /** The kernel of the current model thread, or null outside the model. */
    public static Kernel current() {
        KThread td = CURTHREAD.get();
        return td == null ? null : td.kernel;
    }

    public List<KThread> threads() {
        return List.copyOf(threads);
    }

    void threadExited(KThread td) {
        sched.lock();
        try {
            td.markExited();
            signalChanged();
        } finally {
            sched.unlock();
        }
    }

    /**
     * Waits until every thread of {@code workload} has exited, the kernel has stopped, or
     * {@code within} has passed; whether the workload finished.
     */
    public boolean join(Collection<KThread> workload, Duration within) {
        long until = System.nanoTime() + within.toNanos();
        sched.lock();
        try {
            while (!stopped && !workload.stream().allMatch(KThread::exited)) {
                long left = until - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                changed.awaitNanos(left);
            }
            return workload.stream().allMatch(KThread::exited);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            sched.unlock();
        }
    }

    // ---------------------------------------------------------------- stopping

    public boolean stopped() {
        return stopped;
    }

    /** The first fatal event, or null. */
    public Fatal fatal() {
        return fatal.get();
    }

    /** Stops the kernel: every sleep wakes with {@link KernelStopped}; our threads are interrupted. */
    public void stop() {
        stopped = true;
        sched.lock();
        try {
            changed.signalAll();
        } finally {
            sched.unlock();
        }
        Thread me = Thread.currentThread();
        for (KThread td : threads) {
            Thread t = td.thread;
            if (!td.adopted() && t != null && t != me && t.isAlive()) {
                t.interrupt();
            }
        }
    }

    /** Stops the kernel and waits up to {@code grace} for each of its own threads; those still alive. */
    public List<KThread> shutdown(Duration grace) {
        stop();
        long until = System.nanoTime() + grace.toNanos();
        List<KThread> left = new ArrayList<>();
        for (KThread td : threads) {
            Thread t = td.thread;
            if (td.adopted() || t == null || t == Thread.currentThread()) {
                continue;
            }
            try {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (t.isAlive()) {
                left.add(td);
            }
        }
        return left;
    }

    // ---------------------------------------------------------------- console, panic, KASSERT

    /** printf(9): a line on the console. */
    public void printf(String fmt, Object... args) {
        if (!sched.isHeldByCurrentThread()) {
            printf_pre_op();
        }
        String line = args.length == 0 ? fmt : String.format(fmt, args);
        synchronized (console) {
            console.append(line);
            if (!line.endsWith("\n")) {
                console.append('\n');
            }
        }
    }

    /** Everything printed so far. */
    public String console() {
        synchronized (console) {
            return console.toString();
        }
    }

    /** panic(9): records the first panic, stops the kernel, unwinds the calling thread. */
    public RuntimeException panic(String fmt, Object... args) {
        throw vpanic(args.length == 0 ? fmt : String.format(fmt, args));
    }

    /** KASSERT(9): with INVARIANTS, a false {@code cond} panics with the message. */
    public void KASSERT(boolean cond, String fmt, Object... args) {
        if (!cond && config.invariants()) {
            kassert_panic(fmt, args);
        }
    }

    /** Whether KASSERTs are compiled in (options INVARIANTS). */
    public boolean invariants() {
        return config.invariants();
    }

    private void kassert_panic(String fmt, Object... args) {
        throw vpanic(args.length == 0 ? fmt : String.format(fmt, args));
    }

    private KernelPanic vpanic(String msg) {
        KThread td = curthread();
        List<Backtrace.Frame> bt = Backtrace.here();
        KernelPanic p = new KernelPanic(msg);
        p.recorded = true;
        record(FatalKind.PANIC, msg, td, panicReport(msg, td, bt));
        return p;
    }

    private String panicReport(String msg, KThread td, List<Backtrace.Frame> bt) {
        return Console.panic(config.shown(), msg, td, bt, System.currentTimeMillis(),
                config.shown().head() == PanicHead.ONEFS ? kmem_addr(0x480) : null);
    }

    /**
     * A check of the model's own, which no kernel makes (an invariant of the model's substrate):
     * when {@code cond} is false the kernel stops as on a panic, but the console says it is the
     * model's check, never in a kernel's panic format. On with or without INVARIANTS.
     */
    public void modelCheck(boolean cond, String fmt, Object... args) {
        if (!cond) {
            String msg = "model: check failed: " + (args.length == 0 ? fmt : String.format(fmt, args));
            KThread td = curthread();
            KernelPanic p = new KernelPanic(msg);
            p.recorded = true;
            record(FatalKind.PANIC, msg, td, Console.modelCheck(msg, td, Backtrace.here()));
            throw p;
        }
    }

    void panicThrown(KThread td, KernelPanic p) {
        if (!p.recorded) {
            p.recorded = true;
            String msg = String.valueOf(p.getMessage());
            record(FatalKind.PANIC, msg, td, panicReport(msg, td, Backtrace.of(p.getStackTrace())));
        }
    }

    /**
     * A null dereference in the model. Linux would print an oops, the BSDs a page fault panic; no
     * race's report shows either (md-bitmap's says only that super_written dereferences NULL), so
     * the console says it as the model's.
     */
    void nullDereference(KThread td, NullPointerException npe) {
        List<Backtrace.Frame> bt = Backtrace.of(npe.getStackTrace());
        String where = bt.isEmpty() ? "?" : bt.get(0).function();
        String msg = "model: NULL pointer dereference in " + where;
        record(config.flavor() == Flavor.LINUX ? FatalKind.OOPS : FatalKind.PANIC, msg, td,
                Console.modelCheck(msg, td, bt));
    }

    /**
     * A Java exception the model does not throw itself: a bug of the model, or one thrown into it
     * from outside (an injected failure); either way the thread dies, as a kernel thread's fault
     * panics a kernel. Reported with the Java stack.
     */
    void unexpected(KThread td, Throwable t) {
        StringBuilder sb = new StringBuilder("model: an exception the model does not throw: ").append(t).append('\n');
        for (StackTraceElement e : t.getStackTrace()) {
            sb.append("model:     at ").append(e).append('\n');
        }
        record(FatalKind.PANIC, "model: an exception the model does not throw: " + t, td, sb.toString());
    }

    /** Records the run's TIMEOUT with the stacks of the threads still running, then stops. */
    public void timeout(Duration limit) {
        Map<KThread, List<Backtrace.Frame>> stacks = new LinkedHashMap<>();
        Map<KThread, String> states = new LinkedHashMap<>();
        sched.lock();
        try {
            for (KThread td : threads) {
                Thread t = td.thread;
                if (td.adopted() || td.exited() || t == null) {
                    continue;
                }
                stacks.put(td, Backtrace.of(t.getStackTrace()));
                states.put(td, td.wmesg != null ? "sleeping on \"" + td.wmesg + "\""
                        + (td.blockedOn != null ? " for " + td.blockedOn.describe() : "") : "running");
            }
        } finally {
            sched.unlock();
        }
        String report = Console.timeout(limit.toMillis(), stacks, states);
        record(FatalKind.TIMEOUT, "timeout after " + limit.toMillis() + " ms", null, report);
    }

    private void record(FatalKind kind, String msg, KThread td, String report) {
        if (fatal.compareAndSet(null, new Fatal(kind, msg, td == null ? null : td.label(), report))) {
            Ktr.CTR(Ktr.KTR_GEN, kind.name().toLowerCase(Locale.ROOT), msg, report);
            synchronized (console) {
                console.append(report);
            }
        }
        stop();
    }

    // ---------------------------------------------------------------- sleep and wakeup

    /** The scheduler lock guarding every sleepable state of the model (page busy, locks, channels). */
    public void sched_lock() {
        if (sched.isHeldByCurrentThread()) {
            sched.lock();
            return;
        }
        sched_lock_pre_op();
        sched.lock();
        try {
            sched_lock_post_op();
        } catch (RuntimeException | Error e) {
            sched.unlock(); // a panic injected there unwinds without the lock: left held, it would stop every thread for good
            throw e;
        }
    }

    /**
     * Failpoint (not in FreeBSD): a thread is about to take sched_lock, which guards every
     * sleepable state of the model. A spec can hold a thread here before its next step; a tool that
     * replays runs holds threads here until it is their turn to take the lock.
     */
    @FailPoint(value = "sched_lock_pre_op", panic = KernelPanic.class)
    static void sched_lock_pre_op() {
    }

    /**
     * Failpoint (not in FreeBSD): a thread has taken sched_lock (not taken again by its holder).
     * Its crossings give the order in which threads got the lock, which a tool that records runs
     * keeps; whatever is injected here runs with the lock held, stalling every other thread.
     */
    @FailPoint(value = "sched_lock_post_op", panic = KernelPanic.class)
    static void sched_lock_post_op() {
    }

    /** Failpoint (an ordering point, not in FreeBSD): a thread is about to print on the console. */
    @FailPoint(value = "printf_pre_op", panic = KernelPanic.class)
    static void printf_pre_op() {
    }

    public void sched_unlock() {
        sched.unlock();
    }

    /** Wakes every sleeper to re-check its condition; call after changing sleepable state (sched_lock held). */
    public void sleepq_broadcast() {
        signalChanged();
    }

    /**
     * Runs {@code listener} (sched_lock held) at every wakeup, before the sleepers run: how a
     * subsystem sees which sleepers a wakeup makes runnable at the moment it does (OpenBSD's
     * kernel lock hands out its tickets there, see uvm.KernelLock).
     */
    public void sleepq_on_wakeup(Runnable listener) {
        wakeupListeners.add(listener);
    }

    private void signalChanged() {
        for (Runnable l : wakeupListeners) {
            l.run();
        }
        changed.signalAll();
    }

    /**
     * THE sleep of the model. With sched_lock held, sleeps until {@code ready} holds, as
     * {@code wmesg}, waiting for {@code on} (null when who will wake us is not known, such as an I/O
     * completion). Before every sleep WITNESS checks the wait-for graph: a thread waiting for
     * itself or a cycle is reported as a deadlock at once. Woken with what it waited for, the
     * thread takes sched_lock again through its failpoints (see {@link #retakeAfterWakeup}).
     * Returns false if {@code timoNanos}
     * (0: none) passed first; throws {@link KernelStopped} when the kernel stops or the run's time
     * limit is long past.
     */
    public boolean sleepq_wait(Waitable on, String wmesg, BooleanSupplier ready, long timoNanos) {
        return sleepq_wait(on, wmesg, ready, timoNanos, true);
    }

    /**
     * {@link #sleepq_wait} for a thread whose wakeup puts it in a ticket lock's queue (OpenBSD's
     * kernel lock): the tickets give the order in which woken threads go on, so it does not
     * retake sched_lock through its failpoints when woken.
     */
    public boolean sleepq_wait_for_ticket(Waitable on, String wmesg, BooleanSupplier ready, long timoNanos) {
        return sleepq_wait(on, wmesg, ready, timoNanos, false);
    }

    private boolean sleepq_wait(Waitable on, String wmesg, BooleanSupplier ready, long timoNanos, boolean retake) {
        KThread td = curthread();
        long timoAt = timoNanos > 0 ? System.nanoTime() + timoNanos : Long.MAX_VALUE;
        long bound = deadlineNanos + GRACE_NANOS;
        boolean slept = false;
        try {
            while (!ready.getAsBoolean() || (slept && retake && !retakeAfterWakeup(ready))) {
                if (stopped) {
                    throw new KernelStopped("kernel stopped");
                }
                if (on != null) {
                    List<Witness.Edge> chain = Witness.cycle(td, wmesg, on);
                    if (chain != null) {
                        reportDeadlock(td, chain);
                    }
                }
                long now = System.nanoTime();
                if (now >= timoAt) {
                    return false;
                }
                if (now >= bound) {
                    throw new KernelStopped("sleep on \"" + wmesg + "\" outlived the time limit");
                }
                td.blockedOn = on;
                td.wmesg = wmesg;
                if (!slept && Ktr.enabled(Ktr.KTR_PROC)) {
                    Ktr.CTR(Ktr.KTR_PROC, "sleep", wmesg, on == null ? null : "waiting for " + on.describe());
                }
                slept = true;
                try {
                    changed.awaitNanos(Math.min(timoAt, bound) - now);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new KernelStopped(stopped ? "kernel stopped" : "interrupted");
                } finally {
                    td.blockedOn = null;
                    td.wmesg = null;
                }
            }
            if (!interruptThreads.contains(td)) {
                awaitInterruptsRaised(bound);
            }
            return true;
        } finally {
            td.blockedOn = null;
            td.wmesg = null;
            if (slept) {
                Ktr.CTR(Ktr.KTR_PROC, "wakeup", wmesg, null);
            }
        }
    }

    /**
     * A thread woken with what it waited for goes on only once it takes sched_lock again the way
     * every thread takes it, through its failpoints (a woken thread runs when it is scheduled, not
     * at the wakeup): so a tool that orders the lock's takers orders a woken thread's next step
     * too. Returns whether it still has what it waited for (another thread may have been first).
     */
    private boolean retakeAfterWakeup(BooleanSupplier ready) {
        int holds = sched.getHoldCount();
        for (int i = 0; i < holds; i++) {
            sched.unlock();
        }
        try {
            sched_lock_pre_op();
        } finally {
            for (int i = 0; i < holds; i++) {
                sched.lock();
            }
        }
        sched_lock_post_op();
        return ready.getAsBoolean();
    }

    /**
     * Interrupts are prompt: a thread that reaches a sleep (whether it then sleeps or not) goes on
     * only once every completion an interrupt thread (g_up, a softirq, a disk's interrupt) was
     * handed before has run — or one is blocked in the middle (asleep, say in a failpoint: those
     * queued behind it wait for it), as an interrupt handler that sleeps would let the CPU go. With
     * several interrupt threads, a blocked one lets the thread go on even if another has not yet
     * run what it was handed: the model's approximation. A real kernel runs an interrupt's
     * handler, and the softirq it raises, within microseconds; the host's scheduler may leave the
     * model's interrupt threads waiting for milliseconds, and this keeps it from reordering a
     * completion after the work the thread does next. Sched lock held.
     */
    private void awaitInterruptsRaised(long bound) {
        long target = intrRaised;
        while (intrFinished < target && !interruptsBlocked() && !stopped) {
            long now = System.nanoTime();
            if (now >= bound) {
                throw new KernelStopped("waiting for interrupts outlived the time limit");
            }
            try {
                changed.awaitNanos(Math.min(bound - now, 100_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KernelStopped(stopped ? "kernel stopped" : "interrupted");
            }
        }
    }

    /**
     * Whether some interrupt thread is blocked in the middle of a completion and every one that
     * is in the middle of one is: the completions queued behind a blocked one wait for it, as they
     * would in the kernel.
     */
    private boolean interruptsBlocked() {
        boolean someBlocked = false;
        for (KThread td : interruptThreads) {
            Thread t = td.thread;
            if (td.intrRunning && t != null) {
                Thread.State st = t.getState();
                if (st != Thread.State.WAITING && st != Thread.State.TIMED_WAITING && st != Thread.State.BLOCKED) {
                    return false;
                }
                someBlocked = true;
            }
        }
        return someBlocked;
    }

    /** {@code td} runs interrupt-time completions (see {@link #intr_raise}). */
    public void intr_thread(KThread td) {
        interruptThreads.add(td);
    }

    /** An interrupt thread was handed a completion (sched lock held). */
    public void intr_raise() {
        intrRaised++;
    }

    /** The current interrupt thread starts a completion (sched lock held). */
    public void intr_start() {
        curthread().intrRunning = true;
        signalChanged();
    }

    /** The current interrupt thread has finished its completion. */
    public void intr_done() {
        sched.lock();
        try {
            intrFinished++;
            curthread().intrRunning = false;
            signalChanged();
        } finally {
            sched.unlock();
        }
    }

    private void reportDeadlock(KThread td, List<Witness.Edge> chain) {
        Map<KThread, List<Backtrace.Frame>> stacks = new LinkedHashMap<>();
        stacks.put(td, Backtrace.here());
        for (Witness.Edge e : chain) {
            KThread other = e.holder();
            if (!stacks.containsKey(other) && other.thread != null) {
                stacks.put(other, Backtrace.of(other.thread.getStackTrace()));
            }
        }
        String report = Console.deadlock(chain, stacks, config.shown().trace());
        record(FatalKind.DEADLOCK, report.substring(0, report.indexOf('\n')), td, report);
        throw new KernelStopped("deadlock");
    }

    /**
     * msleep(9): sleeps on {@code chan} until {@link #wakeup}, dropping {@code interlock} (if any)
     * while asleep and taking it again after unless {@code pdrop}. {@code waitingFor} names what the
     * sleep waits for when it is known (a busy page), for WITNESS. Returns 0, or EWOULDBLOCK when
     * {@code timoMillis} (0: none) passed.
     */
    public int msleep(Object chan, SleepLock interlock, boolean pdrop, String wmesg, long timoMillis,
                      Waitable waitingFor) {
        boolean woken;
        sched_lock();
        try {
            KThread td = curthread();
            if (interlock != null) {
                interlock.unlockLocked(td);
            }
            td.wchan = chan;
            td.woken = false;
            try {
                woken = sleepq_wait(waitingFor, wmesg, () -> td.woken, TimeUnit.MILLISECONDS.toNanos(timoMillis));
            } finally {
                td.wchan = null;
            }
        } finally {
            sched_unlock();
        }
        if (interlock != null && !pdrop) {
            interlock.xlock();
        }
        return woken ? 0 : Errno.EWOULDBLOCK;
    }

    /** msleep without an interlock or a known holder. */
    public int tsleep(Object chan, String wmesg, long timoMillis) {
        return msleep(chan, null, false, wmesg, timoMillis, null);
    }

    /** wakeup(9): wakes every thread sleeping on {@code chan}. */
    public void wakeup(Object chan) {
        sched_lock();
        try {
            for (KThread td : threads) {
                if (td.wchan == chan) {
                    td.woken = true;
                }
            }
            signalChanged();
        } finally {
            sched_unlock();
        }
    }

    /** DELAY(9): busy-waits {@code micros} microseconds (ends early, with KernelStopped, if the kernel stops). */
    public void DELAY(long micros) {
        long until = System.nanoTime() + TimeUnit.MICROSECONDS.toNanos(micros);
        while (System.nanoTime() < until) {
            if (stopped) {
                throw new KernelStopped("kernel stopped");
            }
            Thread.onSpinWait();
        }
    }

    /** pause(9): sleeps {@code millis} (ends early, with KernelStopped, if the kernel stops). */
    public void pause(String wmesg, long millis) {
        sched.lock();
        try {
            sleepq_wait(null, wmesg, () -> false, TimeUnit.MILLISECONDS.toNanos(Math.max(1, millis)));
        } finally {
            sched.unlock();
        }
    }
}
