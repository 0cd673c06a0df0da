package dev.jfail.kernel.md;

import dev.jfail.kernel.buf.CompletionThread;
import dev.jfail.kernel.kern.Kernel;

/**
 * kernel/workqueue.c: a workqueue with its kworker thread; {@code flush_workqueue} queues a
 * barrier and sleeps until the kworker reaches it, so every work queued before has run.
 */
public final class Workqueue {
    private final Kernel kernel;
    private final String name;
    private final CompletionThread kworker;

    private Workqueue(Kernel kernel, String name, String worker) {
        this.kernel = kernel;
        this.name = name;
        this.kworker = new CompletionThread(kernel, worker);
    }

    /** md_misc_wq, created with md: its kworker runs md's event and delete work. */
    public static Workqueue md_misc_wq(Kernel k) {
        return k.subsystem(Workqueue.class, kernel -> new Workqueue(kernel, "md_misc", "kworker/u4:1"));
    }

    /** queue_work. */
    public static void queue_work(Workqueue wq, Runnable work) {
        wq.kworker.enqueue(work);
    }

    /** flush_workqueue: waits until every work queued so far has run. */
    public static void flush_workqueue(Workqueue wq) {
        boolean[] done = new boolean[1];
        wq.kworker.enqueue(() -> {
            wq.kernel.sched_lock();
            try {
                done[0] = true;
                wq.kernel.sleepq_broadcast();
            } finally {
                wq.kernel.sched_unlock();
            }
        });
        wq.kernel.sched_lock();
        try {
            wq.kernel.sleepq_wait(null, "flush_workqueue", () -> done[0], 0);
        } finally {
            wq.kernel.sched_unlock();
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
