package dev.jfail.kernel.kern;

import dev.jfail.kernel.vfs.VfsMount;
import dev.jfail.kernel.vm.SwapPager;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * How a kernel stops (kern/kern_shutdown.c): panic(9) and KASSERT, the model's other fatal events
 * (its own checks, a NULL dereference, a deadlock WITNESS found, the run's timeout), of which the
 * first is recorded and stops the kernel; and the shutdown sequence: reboot(2) -> kern_reboot ->
 * bufshutdown (kern/vfs_bio.c): sync, then swapoff before unmounting "because file-backed swap is
 * non-operational after unmount of the underlying filesystem", then the final halt or reset.
 */
public final class KernShutdown {
    public static final int RB_AUTOBOOT = 0;
    public static final int RB_HALT = 0x8;

    private final Kernel kernel;
    private final AtomicReference<Kernel.Fatal> fatal = new AtomicReference<>();
    volatile boolean stopped;
    /** Whether the machine got to the end of the shutdown. */
    private volatile boolean halted;
    private final List<Runnable> shutdown_pre_sync = new CopyOnWriteArrayList<>();

    KernShutdown(Kernel kernel) {
        this.kernel = kernel;
    }

    // ---------------------------------------------------------------- reboot(2)

    /** EVENTHANDLER_REGISTER(shutdown_pre_sync, ...): {@code handler} runs as kern_reboot begins. */
    public static void EVENTHANDLER_REGISTER_shutdown_pre_sync(Kernel k, Runnable handler) {
        k.shutdown.shutdown_pre_sync.add(handler);
    }

    /** reboot(2). */
    public static int sys_reboot(Kernel k, int opt) {
        kern_reboot(k, opt);
        return 0;
    }

    /** kern_reboot: the shutdown_pre_sync handlers, sync and quiesce (bufshutdown), the uptime, then halt or reset. */
    static void kern_reboot(Kernel k, int howto) {
        k.shutdown.shutdown_pre_sync.forEach(Runnable::run); // EVENTHANDLER_INVOKE(shutdown_pre_sync, howto)
        bufshutdown(k);
        // FreeBSD prints "Uptime: Ns" and "Rebooting..." here; the swapoff report never gets this far,
        // so the model says it on a line of its own
        k.printf("model: shutdown complete (%s)", (howto & RB_HALT) != 0 ? "halted" : "rebooting");
        k.shutdown.halted = true;
    }

    /** bufshutdown: with every buffer synced, swapoff_all and then vfs_unmountall. */
    static void bufshutdown(Kernel k) {
        k.printf("Syncing disks, vnodes remaining... 0 0 done");
        k.printf("All buffers synced.");
        SwapPager.swapoff_all(k);
        VfsMount.vfs_unmountall(k);
    }

    /** Whether the shutdown ran to its end (cpu_reset or halt). */
    public static boolean halted(Kernel k) {
        return k.shutdown.halted;
    }

    // ---------------------------------------------------------------- stopping

    /** The first fatal event, or null. */
    Kernel.Fatal fatal() {
        return fatal.get();
    }

    /** Stops the kernel: every sleep wakes with {@link KernelStopped}; our threads are interrupted. */
    void stop() {
        stopped = true;
        kernel.sched.lock();
        try {
            kernel.changed.signalAll();
        } finally {
            kernel.sched.unlock();
        }
        Thread me = Thread.currentThread();
        for (KThread td : kernel.kthreads.threads) {
            Thread t = td.thread;
            if (!td.adopted() && t != null && t != me && t.isAlive()) {
                t.interrupt();
            }
        }
    }

    /** Stops the kernel and waits up to {@code grace} for each of its own threads; those still alive. */
    List<KThread> shutdown(Duration grace) {
        stop();
        long until = System.nanoTime() + grace.toNanos();
        List<KThread> left = new ArrayList<>();
        for (KThread td : kernel.kthreads.threads) {
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

    // ---------------------------------------------------------------- panic, KASSERT

    /** KASSERT(9): with INVARIANTS, a false {@code cond} panics with the message. */
    void KASSERT(boolean cond, String fmt, Object... args) {
        if (!cond && kernel.config().invariants()) {
            kassert_panic(fmt, args);
        }
    }

    private void kassert_panic(String fmt, Object... args) {
        throw vpanic(args.length == 0 ? fmt : String.format(fmt, args));
    }

    /** panic(9)'s body: records the first panic and stops the kernel; the caller throws what it returns. */
    KernelPanic vpanic(String msg) {
        KThread td = kernel.curthread();
        List<Backtrace.Frame> bt = Backtrace.here();
        KernelPanic p = new KernelPanic(msg);
        p.recorded = true;
        record(Kernel.FatalKind.PANIC, msg, td, panicReport(msg, td, bt));
        return p;
    }

    private String panicReport(String msg, KThread td, List<Backtrace.Frame> bt) {
        Kernel.Shown shown = kernel.config().shown();
        return Console.panic(shown, msg, td, bt, System.currentTimeMillis(),
                shown.head() == Kernel.PanicHead.ONEFS ? kernel.kmem_addr(0x480) : null);
    }

    /**
     * A check of the model's own, which no kernel makes (an invariant of the model's substrate):
     * when {@code cond} is false the kernel stops as on a panic, but the console says it is the
     * model's check, never in a kernel's panic format. On with or without INVARIANTS.
     */
    void modelCheck(boolean cond, String fmt, Object... args) {
        if (!cond) {
            String msg = "model: check failed: " + (args.length == 0 ? fmt : String.format(fmt, args));
            KThread td = kernel.curthread();
            KernelPanic p = new KernelPanic(msg);
            p.recorded = true;
            record(Kernel.FatalKind.PANIC, msg, td, Console.modelCheck(msg, td, Backtrace.here()));
            throw p;
        }
    }

    void panicThrown(KThread td, KernelPanic p) {
        if (!p.recorded) {
            p.recorded = true;
            String msg = String.valueOf(p.getMessage());
            record(Kernel.FatalKind.PANIC, msg, td, panicReport(msg, td, Backtrace.of(p.getStackTrace())));
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
        record(kernel.flavor() == Kernel.Flavor.LINUX ? Kernel.FatalKind.OOPS : Kernel.FatalKind.PANIC, msg, td,
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
        record(Kernel.FatalKind.PANIC, "model: an exception the model does not throw: " + t, td, sb.toString());
    }

    /**
     * A sleep that outlived the kernel's time limit (and its grace): the run's TIMEOUT, recorded here
     * before the sleeper unwinds. The kernel's clock starts at boot, the harness's after the
     * workload's set-up, so on a slow set-up (a cold JVM, classes instrumented on first use) the
     * sleeper may see the limit first; unwinding unrecorded, it would run {@code finally} blocks a
     * kernel never runs (an unlock of a lock it never got back) into a panic of its own, a false one.
     */
    KernelStopped outlived(String what) {
        timeout(kernel.config().timeLimit());
        return new KernelStopped(what + " outlived the time limit");
    }

    /** Records the run's TIMEOUT with the stacks of the threads still running, then stops. */
    void timeout(Duration limit) {
        Map<KThread, List<Backtrace.Frame>> stacks = new LinkedHashMap<>();
        Map<KThread, String> states = new LinkedHashMap<>();
        kernel.sched.lock();
        try {
            for (KThread td : kernel.kthreads.threads) {
                Thread t = td.thread;
                if (td.adopted() || td.exited() || t == null) {
                    continue;
                }
                stacks.put(td, Backtrace.of(t.getStackTrace()));
                states.put(td, td.wmesg != null ? "sleeping on \"" + td.wmesg + "\""
                        + (td.blockedOn != null ? " for " + td.blockedOn.describe() : "") : "running");
            }
        } finally {
            kernel.sched.unlock();
        }
        String report = Console.timeout(limit.toMillis(), stacks, states);
        record(Kernel.FatalKind.TIMEOUT, "timeout after " + limit.toMillis() + " ms", null, report);
    }

    /** Records the first fatal event (and prints its report on the console), then stops the kernel. */
    void record(Kernel.FatalKind kind, String msg, KThread td, String report) {
        if (fatal.compareAndSet(null, new Kernel.Fatal(kind, msg, td == null ? null : td.label(), report))) {
            Ktr.CTR(Ktr.KTR_GEN, kind.name().toLowerCase(Locale.ROOT), msg, report);
            synchronized (kernel.console) {
                kernel.console.append(report);
            }
        }
        stop();
    }
}
