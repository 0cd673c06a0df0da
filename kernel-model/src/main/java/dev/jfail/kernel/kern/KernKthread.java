package dev.jfail.kernel.kern;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A kernel's threads (kern/kern_kthread.c: kthread_add; and curthread): each runs as a Java thread
 * of the same name; a thread from outside the model is adopted on first use.
 */
final class KernKthread {
    private static final ThreadLocal<KThread> CURTHREAD = new ThreadLocal<>();

    private final Kernel kernel;
    final List<KThread> threads = new CopyOnWriteArrayList<>();
    private final AtomicInteger nextTid = new AtomicInteger(100000);

    KernKthread(Kernel kernel) {
        this.kernel = kernel;
    }

    /** kthread_add: a kernel thread of pid 0, started at once. */
    KThread kthread_add(String name, Runnable body) {
        return start(name, 0, "kernel", body);
    }

    /** A thread of user process {@code comm} (pid {@code pid}) running in the kernel (a syscall, a trap). */
    KThread uthread_add(String comm, int pid, Runnable body) {
        return start(comm, pid, comm, body);
    }

    private KThread start(String name, int pid, String comm, Runnable body) {
        KThread td = new KThread(kernel, name, nextTid.getAndIncrement(), pid, comm, false);
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
    KThread curthread() {
        KThread td = CURTHREAD.get();
        if (td != null && td.kernel == kernel) {
            return td;
        }
        Thread t = Thread.currentThread();
        td = new KThread(kernel, t.getName(), nextTid.getAndIncrement(), 1, t.getName(), true);
        td.thread = t;
        threads.add(td);
        CURTHREAD.set(td);
        return td;
    }

    /** The kernel of the current model thread, or null outside the model. */
    static Kernel current() {
        KThread td = CURTHREAD.get();
        return td == null ? null : td.kernel;
    }

    void threadExited(KThread td) {
        kernel.sched.lock();
        try {
            td.markExited();
            kernel.sleepq.signalChanged();
        } finally {
            kernel.sched.unlock();
        }
    }

    /**
     * Waits until every thread of {@code workload} has exited, the kernel has stopped, or
     * {@code within} has passed; whether the workload finished.
     */
    boolean join(Collection<KThread> workload, Duration within) {
        long until = System.nanoTime() + within.toNanos();
        kernel.sched.lock();
        try {
            while (!kernel.shutdown.stopped && !workload.stream().allMatch(KThread::exited)) {
                long left = until - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                kernel.changed.awaitNanos(left);
            }
            return workload.stream().allMatch(KThread::exited);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            kernel.sched.unlock();
        }
    }
}
