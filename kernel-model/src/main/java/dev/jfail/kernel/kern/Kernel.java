package dev.jfail.kernel.kern;

import dev.jfail.FailPoint;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * One booted kernel of the model: a run of a race gets a fresh one. It is the kernel's global
 * namespace (the model calls {@code k.msleep(...)}, {@code k.panic(...)}); the code is in the files
 * the kernels keep it in: the threads in {@link KernKthread} (kern_kthread.c), panic, KASSERT and
 * the other fatal events in {@link KernShutdown} (kern_shutdown.c), the sleep queues in
 * {@link SleepQueues} (subr_sleepqueue.c), interrupt threads in {@link Interrupts} (kern_intr.c).
 * Here: the boot's configuration, the scheduler lock, msleep/wakeup (kern_synch.c) and printf.
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

    private static final AtomicInteger BOOTS = new AtomicInteger();

    private final Config config;
    private final Map<Class<?>, Object> subsystems = new ConcurrentHashMap<>();
    /** The scheduler lock, which every file of the kernel takes, and its condition: sleepable state changed. */
    final ReentrantLock sched = new ReentrantLock();
    final Condition changed = sched.newCondition();
    /** The console's message buffer (kern/subr_prf.c). */
    final StringBuilder console = new StringBuilder();
    private final AtomicLong nextAddr;
    private final Random random;
    private final long bootNanos = System.nanoTime();
    final long deadlineNanos;
    final KernKthread kthreads = new KernKthread(this);
    final KernShutdown shutdown = new KernShutdown(this);
    final SleepQueues sleepq = new SleepQueues(this);
    final Interrupts intr = new Interrupts(this);

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

    // ---------------------------------------------------------------- threads: KernKthread

    /** kthread_add: a kernel thread of pid 0, started at once. */
    public KThread kthread_add(String name, Runnable body) {
        return kthreads.kthread_add(name, body);
    }

    /** A thread of user process {@code comm} (pid {@code pid}) running in the kernel (a syscall, a trap). */
    public KThread uthread_add(String comm, int pid, Runnable body) {
        return kthreads.uthread_add(comm, pid, body);
    }

    /** The current thread as this kernel knows it; a thread from outside is adopted on first use. */
    public KThread curthread() {
        return kthreads.curthread();
    }

    /** The kernel of the current model thread, or null outside the model. */
    public static Kernel current() {
        return KernKthread.current();
    }

    public List<KThread> threads() {
        return List.copyOf(kthreads.threads);
    }

    /** Waits until every thread of {@code workload} has exited, the kernel has stopped, or {@code within} has passed; whether the workload finished. */
    public boolean join(Collection<KThread> workload, Duration within) {
        return kthreads.join(workload, within);
    }

    // ---------------------------------------------------------------- stopping, panic, KASSERT: KernShutdown

    public boolean stopped() {
        return shutdown.stopped;
    }

    /** The first fatal event, or null. */
    public Fatal fatal() {
        return shutdown.fatal();
    }

    /** Stops the kernel: every sleep wakes with {@link KernelStopped}; our threads are interrupted. */
    public void stop() {
        shutdown.stop();
    }

    /** Stops the kernel and waits up to {@code grace} for each of its own threads; those still alive. */
    public List<KThread> shutdown(Duration grace) {
        return shutdown.shutdown(grace);
    }

    /** panic(9): records the first panic, stops the kernel, unwinds the calling thread. */
    public RuntimeException panic(String fmt, Object... args) {
        throw shutdown.vpanic(args.length == 0 ? fmt : String.format(fmt, args));
    }

    /** KASSERT(9): with INVARIANTS, a false {@code cond} panics with the message. */
    public void KASSERT(boolean cond, String fmt, Object... args) {
        shutdown.KASSERT(cond, fmt, args);
    }

    /** Whether KASSERTs are compiled in (options INVARIANTS). */
    public boolean invariants() {
        return config.invariants();
    }

    /** A check of the model's own, which no kernel makes: when {@code cond} is false the kernel stops (KernShutdown.modelCheck). */
    public void modelCheck(boolean cond, String fmt, Object... args) {
        shutdown.modelCheck(cond, fmt, args);
    }

    /** Records the run's TIMEOUT with the stacks of the threads still running, then stops. */
    public void timeout(Duration limit) {
        shutdown.timeout(limit);
    }

    // ---------------------------------------------------------------- console

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

    // ---------------------------------------------------------------- the scheduler lock, msleep, wakeup

    /*
     * sched_lock, printf, msleep and wakeup cross the failpoints below themselves rather than in a
     * file they would hand the call to: a recorded run keeps each crossing's three callers, and
     * replays match them, so the method that crosses them is the one the model calls.
     */

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
                woken = sleepq.sleepq_wait(waitingFor, wmesg, () -> td.woken, TimeUnit.MILLISECONDS.toNanos(timoMillis));
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
            for (KThread td : kthreads.threads) {
                if (td.wchan == chan) {
                    td.woken = true;
                }
            }
            sleepq.signalChanged();
        } finally {
            sched_unlock();
        }
    }

    // ---------------------------------------------------------------- sleep queues: SleepQueues

    /** Wakes every sleeper to re-check its condition; call after changing sleepable state (sched_lock held). */
    public void sleepq_broadcast() {
        sleepq.sleepq_broadcast();
    }

    /** Runs {@code listener} (sched_lock held) at every wakeup, before the sleepers run. */
    public void sleepq_on_wakeup(Runnable listener) {
        sleepq.sleepq_on_wakeup(listener);
    }

    /**
     * THE sleep of the model: with sched_lock held, until {@code ready} holds, as {@code wmesg}, waiting
     * for {@code on} (null: not known); false if {@code timoNanos} (0: none) passed (SleepQueues.sleepq_wait).
     */
    public boolean sleepq_wait(Waitable on, String wmesg, BooleanSupplier ready, long timoNanos) {
        return sleepq.sleepq_wait(on, wmesg, ready, timoNanos);
    }

    /** {@link #sleepq_wait} for a thread woken into a ticket lock's queue (SleepQueues.sleepq_wait_for_ticket). */
    public boolean sleepq_wait_for_ticket(Waitable on, String wmesg, BooleanSupplier ready, long timoNanos) {
        return sleepq.sleepq_wait_for_ticket(on, wmesg, ready, timoNanos);
    }

    /** DELAY(9): busy-waits {@code micros} microseconds (ends early, with KernelStopped, if the kernel stops). */
    public void DELAY(long micros) {
        sleepq.DELAY(micros);
    }

    /** pause(9): sleeps {@code millis} (ends early, with KernelStopped, if the kernel stops). */
    public void pause(String wmesg, long millis) {
        sleepq.pause(wmesg, millis);
    }

    // ---------------------------------------------------------------- interrupt threads: Interrupts

    /** {@code td} runs interrupt-time completions (see {@link #intr_raise}). */
    public void intr_thread(KThread td) {
        intr.intr_thread(td);
    }

    /** An interrupt thread was handed a completion (sched lock held). */
    public void intr_raise() {
        intr.intr_raise();
    }

    /** The current interrupt thread starts a completion (sched lock held). */
    public void intr_start() {
        intr.intr_start();
    }

    /** The current interrupt thread has finished its completion. */
    public void intr_done() {
        intr.intr_done();
    }
}
