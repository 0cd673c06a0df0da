package dev.jfail.kernel.uvm;

import dev.jfail.core.FailPointRegistry;
import dev.jfail.kernel.kern.KThread;
import dev.jfail.kernel.kern.Kernel;
import dev.jfail.kernel.kern.SleepLock;
import dev.jfail.kernel.kern.Waitable;

import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * OpenBSD's big lock (kern/kern_lock.c: KERNEL_LOCK, a ticket lock, __mp_lock): in 2022 the VFS,
 * the vnode pager and the pagedaemon ran holding it, so their threads interleave only where one
 * of them sleeps — a sleep releases the kernel lock and takes a ticket for it again on wakeup,
 * served in order. Every sleep of the OpenBSD model goes through here: {@link #sleep},
 * {@link #lock} (a lock that must be waited for), {@link #rwsleep}, and {@link #failpoint} (a
 * failpoint that sleeps stands for the thread sleeping there).
 */
public final class KernelLock implements Waitable {
    // guarded by the kernel's sched lock
    private KThread owner;
    private long next_ticket;
    private long now_serving;

    private KernelLock(Kernel k) {
    }

    private static KernelLock of(Kernel k) {
        return k.subsystem(KernelLock.class, KernelLock::new);
    }

    /** KERNEL_LOCK: a ticket, then wait for its turn. */
    public static void KERNEL_LOCK(Kernel k) {
        KernelLock kl = of(k);
        KThread td = k.curthread();
        k.sched_lock();
        try {
            long ticket = kl.next_ticket++;
            // a wait cut short (the kernel stopped) leaves its ticket unserved: every waiter is stopping too
            k.sleepq_wait(kl, "kernel_lock", () -> kl.now_serving == ticket, 0);
            kl.owner = td;
        } finally {
            k.sched_unlock();
        }
    }

    /** KERNEL_UNLOCK: the next ticket is served. */
    public static void KERNEL_UNLOCK(Kernel k) {
        KernelLock kl = of(k);
        k.sched_lock();
        try {
            k.KASSERT(kl.owner == k.curthread(), "KERNEL_UNLOCK: kernel lock not held by %s", k.curthread().label());
            kl.owner = null;
            kl.now_serving++;
            k.sleepq_broadcast();
        } finally {
            k.sched_unlock();
        }
    }

    public static void KERNEL_ASSERT_LOCKED(Kernel k) {
        KernelLock kl = of(k);
        k.sched_lock();
        try {
            k.KASSERT(kl.owner == k.curthread(), "kernel lock not held by %s", k.curthread().label());
        } finally {
            k.sched_unlock();
        }
    }

    private static boolean held(Kernel k) {
        KernelLock kl = of(k);
        k.sched_lock();
        try {
            return kl.owner == k.curthread();
        } finally {
            k.sched_unlock();
        }
    }

    /** Runs {@code body} on a thread of the OpenBSD model: with the kernel lock, as a syscall or kthread does. */
    public static Runnable locked(Kernel k, Runnable body) {
        return () -> {
            KERNEL_LOCK(k);
            try {
                body.run();
            } finally {
                // a sleep cut short by a stopped kernel may have left without it
                if (held(k)) {
                    KERNEL_UNLOCK(k);
                }
            }
        };
    }

    /**
     * A sleep (tsleep, rwsleep, biowait): until {@code ready} holds, with the kernel lock released;
     * it is held again on return, so the caller re-checks what it waited for.
     */
    public static void sleep(Kernel k, Waitable on, String wmesg, BooleanSupplier ready) {
        k.sched_lock();
        try {
            if (ready.getAsBoolean()) {
                return;
            }
        } finally {
            k.sched_unlock();
        }
        KERNEL_UNLOCK(k);
        try {
            k.sched_lock();
            try {
                k.sleepq_wait(on, wmesg, ready, 0);
            } finally {
                k.sched_unlock();
            }
        } finally {
            KERNEL_LOCK(k);
        }
    }

    /** rw_enter(RW_WRITE) / VOP_LOCK(LK_EXCLUSIVE): at once if free, else asleep without the kernel lock. */
    public static void lock(Kernel k, SleepLock lock) {
        if (lock.try_xlock()) {
            return;
        }
        KERNEL_UNLOCK(k);
        try {
            lock.xlock();
        } finally {
            KERNEL_LOCK(k);
        }
    }

    /** rwsleep: drops {@code interlock} (held) and sleeps until {@code ready}; both locks held again on return. */
    public static void rwsleep(Kernel k, SleepLock interlock, Waitable on, String wmesg, BooleanSupplier ready) {
        interlock.unlock();
        try {
            sleep(k, on, wmesg, ready);
        } finally {
            lock(k, interlock);
        }
    }

    /**
     * Runs failpoint {@code name}'s {@code site}: while the failpoint is armed (or a test hook is
     * installed there), with the kernel lock released, as a thread that sleeps there would; a
     * failpoint that is off is no sleep, and keeps the lock.
     */
    public static void failpoint(Kernel k, String name, Runnable site) {
        if (k.hooks().has(name) || FailPointRegistry.global().point(name).isArmed()) {
            unlocked(k, site);
        } else {
            site.run();
        }
    }

    /** Runs {@code site} with the kernel lock released. */
    public static void unlocked(Kernel k, Runnable site) {
        KERNEL_UNLOCK(k);
        try {
            site.run();
        } finally {
            KERNEL_LOCK(k);
        }
    }

    @Override
    public List<KThread> holders() {
        return owner == null ? List.of() : List.of(owner);
    }

    @Override
    public String describe() {
        return "kernel_lock";
    }

    @Override
    public String holdState() {
        return "held";
    }
}
