package dev.jfail.kernel.md;

import dev.jfail.kernel.kern.Kernel;

/**
 * kernel/rcu: the read side the block softirq runs completions in, and synchronize_rcu, which
 * waits until every read-side critical section running when it was called has ended (here: until
 * no reader is inside, which a single softirq thread reaches between two completions).
 */
public final class Rcu {
    private final Kernel kernel;
    // guarded by the kernel's sched lock
    private int readers;

    private Rcu(Kernel kernel) {
        this.kernel = kernel;
    }

    static Rcu rcu(Kernel k) {
        return k.subsystem(Rcu.class, Rcu::new);
    }

    public static void rcu_read_lock(Kernel k) {
        Rcu rcu = rcu(k);
        k.sched_lock();
        try {
            rcu.readers++;
        } finally {
            k.sched_unlock();
        }
    }

    public static void rcu_read_unlock(Kernel k) {
        Rcu rcu = rcu(k);
        k.sched_lock();
        try {
            rcu.readers--;
            k.sleepq_broadcast();
        } finally {
            k.sched_unlock();
        }
    }

    /** synchronize_rcu: a grace period. */
    public static void synchronize_rcu(Kernel k) {
        Rcu rcu = rcu(k);
        k.sched_lock();
        try {
            k.sleepq_wait(null, "rcu_gp", () -> rcu.readers == 0, 0);
        } finally {
            k.sched_unlock();
        }
    }
}
