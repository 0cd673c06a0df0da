package dev.jfail.kernel.buf;

import dev.jfail.kernel.kern.KThread;
import dev.jfail.kernel.kern.Kernel;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A thread that runs I/O completions handed to it, as GEOM's g_up thread (FreeBSD) or a softirq
 * (Linux) runs bio completions, and a FUSE daemon answers requests. A completion that
 * dereferences null takes the kernel down with an oops naming the completion, as in the kernel.
 * A kernel thread of these stands for interrupt-time work, which the kernel runs promptly (see
 * {@code Kernel.intr_raise}); a daemon of a user process does not.
 */
public final class CompletionThread {
    private final Kernel kernel;
    private final String name;
    private final Deque<Runnable> queue = new ArrayDeque<>();
    private final KThread td;
    private final boolean interrupt;

    /** Starts the thread {@code name} (g_up, ksoftirqd/0, ...). */
    public CompletionThread(Kernel kernel, String name) {
        this(kernel, name, 0);
    }

    /** A server thread of user process {@code name} (pid {@code pid}), such as a FUSE daemon. */
    public CompletionThread(Kernel kernel, String name, int pid) {
        this.kernel = kernel;
        this.name = name;
        this.interrupt = pid == 0;
        this.td = interrupt ? kernel.kthread_add(name, this::taskqueue_thread_loop)
                : kernel.uthread_add(name, pid, this::taskqueue_thread_loop);
    }

    public KThread thread() {
        return td;
    }

    /** Hands {@code completion} to the thread. */
    public void enqueue(Runnable completion) {
        kernel.sched_lock();
        try {
            queue.addLast(completion);
            if (interrupt) {
                kernel.intr_raise();
            }
            kernel.sleepq_broadcast();
        } finally {
            kernel.sched_unlock();
        }
    }

    /** Runs completions until the kernel stops. */
    private void taskqueue_thread_loop() {
        if (interrupt) {
            kernel.intr_thread(kernel.curthread());
        }
        while (true) {
            Runnable next;
            kernel.sched_lock();
            try {
                kernel.sleepq_wait(null, "-", () -> !queue.isEmpty(), 0);
                next = queue.pollFirst();
                if (interrupt) {
                    kernel.intr_start();
                }
            } finally {
                kernel.sched_unlock();
            }
            try {
                next.run();
            } finally {
                if (interrupt) {
                    kernel.intr_done();
                }
            }
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
