package dev.jfail.kernel.md;

import dev.jfail.kernel.kern.Kernel;

import java.util.function.BooleanSupplier;

/**
 * wait_queue_head_t (include/linux/wait.h): {@code wait_event} and {@code wake_up}, on the
 * model's one sleep ({@link Kernel#sleepq_wait}), so every wait is bounded and seen by WITNESS.
 * The condition is re-checked under the kernel's sched lock, which {@code wake_up} takes too:
 * a wake-up between the check and the sleep cannot be lost.
 */
public final class WaitQueueHead {
    private final Kernel kernel;
    private final String name;

    public WaitQueueHead(Kernel kernel, String name) {
        this.kernel = kernel;
        this.name = name;
    }

    /** wait_event: sleeps (TASK_UNINTERRUPTIBLE) until {@code condition} holds. */
    public static void wait_event(WaitQueueHead wq, BooleanSupplier condition) {
        Kernel k = wq.kernel;
        k.sched_lock();
        try {
            k.sleepq_wait(null, wq.name, condition, 0);
        } finally {
            k.sched_unlock();
        }
    }

    /** wake_up: every sleeper re-checks its condition. */
    public static void wake_up(WaitQueueHead wq) {
        Kernel k = wq.kernel;
        k.sched_lock();
        try {
            k.sleepq_broadcast();
        } finally {
            k.sched_unlock();
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
