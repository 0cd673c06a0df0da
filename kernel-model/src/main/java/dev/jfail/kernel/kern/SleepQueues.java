package dev.jfail.kernel.kern;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The sleep queues (kern/subr_sleepqueue.c, and kern/kern_synch.c's pause and DELAY): every sleep
 * of the model, under the kernel's scheduler lock ({@link Kernel#sched_lock}), with our WITNESS
 * checking the wait-for graph before each. msleep and wakeup, which take sched_lock through its
 * failpoints, stay in {@link Kernel} (see there).
 */
final class SleepQueues {
    /** Sleeps may outlive the time limit by this much before they give up on their own. */
    private static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final Kernel kernel;
    private final List<Runnable> wakeupListeners = new CopyOnWriteArrayList<>();

    SleepQueues(Kernel kernel) {
        this.kernel = kernel;
    }

    /** Wakes every sleeper to re-check its condition; call after changing sleepable state (sched_lock held). */
    void sleepq_broadcast() {
        signalChanged();
    }

    /**
     * Runs {@code listener} (sched_lock held) at every wakeup, before the sleepers run: how a
     * subsystem sees which sleepers a wakeup makes runnable at the moment it does (OpenBSD's
     * kernel lock hands out its tickets there, see uvm.KernelLock).
     */
    void sleepq_on_wakeup(Runnable listener) {
        wakeupListeners.add(listener);
    }

    void signalChanged() {
        for (Runnable l : wakeupListeners) {
            l.run();
        }
        kernel.changed.signalAll();
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
    boolean sleepq_wait(Waitable on, String wmesg, BooleanSupplier ready, long timoNanos) {
        return sleepq_wait(on, wmesg, ready, timoNanos, true);
    }

    /**
     * {@link #sleepq_wait} for a thread whose wakeup puts it in a ticket lock's queue (OpenBSD's
     * kernel lock): the tickets give the order in which woken threads go on, so it does not
     * retake sched_lock through its failpoints when woken.
     */
    boolean sleepq_wait_for_ticket(Waitable on, String wmesg, BooleanSupplier ready, long timoNanos) {
        return sleepq_wait(on, wmesg, ready, timoNanos, false);
    }

    private boolean sleepq_wait(Waitable on, String wmesg, BooleanSupplier ready, long timoNanos, boolean retake) {
        KThread td = kernel.curthread();
        long timoAt = timoNanos > 0 ? System.nanoTime() + timoNanos : Long.MAX_VALUE;
        long bound = kernel.deadlineNanos + GRACE_NANOS;
        boolean slept = false;
        try {
            while (!ready.getAsBoolean() || (slept && retake && !retakeAfterWakeup(ready))) {
                if (kernel.shutdown.stopped) {
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
                    throw kernel.shutdown.outlived("sleep on \"" + wmesg + "\"");
                }
                td.blockedOn = on;
                td.wmesg = wmesg;
                if (!slept && Ktr.enabled(Ktr.KTR_PROC)) {
                    Ktr.CTR(Ktr.KTR_PROC, "sleep", wmesg, on == null ? null : "waiting for " + on.describe());
                }
                slept = true;
                try {
                    kernel.changed.awaitNanos(Math.min(timoAt, bound) - now);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new KernelStopped(kernel.shutdown.stopped ? "kernel stopped" : "interrupted");
                } finally {
                    td.blockedOn = null;
                    td.wmesg = null;
                }
            }
            if (!kernel.intr.interruptThreads.contains(td)) {
                kernel.intr.awaitInterruptsRaised(bound);
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
        int holds = kernel.sched.getHoldCount();
        for (int i = 0; i < holds; i++) {
            kernel.sched.unlock();
        }
        try {
            Kernel.sched_lock_pre_op();
        } finally {
            for (int i = 0; i < holds; i++) {
                kernel.sched.lock();
            }
        }
        Kernel.sched_lock_post_op();
        return ready.getAsBoolean();
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
        String report = Console.deadlock(chain, stacks, kernel.config().shown().trace());
        kernel.shutdown.record(Kernel.FatalKind.DEADLOCK, report.substring(0, report.indexOf('\n')), td, report);
        throw new KernelStopped("deadlock");
    }

    /** DELAY(9): busy-waits {@code micros} microseconds (ends early, with KernelStopped, if the kernel stops). */
    void DELAY(long micros) {
        long until = System.nanoTime() + TimeUnit.MICROSECONDS.toNanos(micros);
        while (System.nanoTime() < until) {
            if (kernel.shutdown.stopped) {
                throw new KernelStopped("kernel stopped");
            }
            Thread.onSpinWait();
        }
    }

    /** pause(9): sleeps {@code millis} (ends early, with KernelStopped, if the kernel stops). */
    void pause(String wmesg, long millis) {
        kernel.sched.lock();
        try {
            sleepq_wait(null, wmesg, () -> false, TimeUnit.MILLISECONDS.toNanos(Math.max(1, millis)));
        } finally {
            kernel.sched.unlock();
        }
    }
}
