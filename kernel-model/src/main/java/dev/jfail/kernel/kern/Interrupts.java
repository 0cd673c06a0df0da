package dev.jfail.kernel.kern;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Interrupt threads (kern/kern_intr.c: ithreads, and the swi a handler schedules): which threads run
 * interrupt-time completions, and how many they were handed and finished, guarded by sched_lock.
 */
final class Interrupts {
    private final Kernel kernel;
    final Set<KThread> interruptThreads = ConcurrentHashMap.newKeySet();
    private long intrRaised;
    private long intrFinished;

    Interrupts(Kernel kernel) {
        this.kernel = kernel;
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
    void awaitInterruptsRaised(long bound) {
        long target = intrRaised;
        while (intrFinished < target && !interruptsBlocked() && !kernel.shutdown.stopped) {
            long now = System.nanoTime();
            if (now >= bound) {
                throw kernel.shutdown.outlived("waiting for interrupts");
            }
            try {
                kernel.changed.awaitNanos(Math.min(bound - now, 100_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KernelStopped(kernel.shutdown.stopped ? "kernel stopped" : "interrupted");
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
    void intr_thread(KThread td) {
        interruptThreads.add(td);
    }

    /** An interrupt thread was handed a completion (sched lock held). */
    void intr_raise() {
        intrRaised++;
    }

    /** The current interrupt thread starts a completion (sched lock held). */
    void intr_start() {
        kernel.curthread().intrRunning = true;
        kernel.sleepq.signalChanged();
    }

    /** The current interrupt thread has finished its completion. */
    void intr_done() {
        kernel.sched.lock();
        try {
            intrFinished++;
            kernel.curthread().intrRunning = false;
            kernel.sleepq.signalChanged();
        } finally {
            kernel.sched.unlock();
        }
    }
}
