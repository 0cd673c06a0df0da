package dev.jfail.kernel.uvm;

import dev.jfail.kernel.kern.KThread;
import dev.jfail.kernel.kern.Kernel;
import dev.jfail.kernel.kern.SleepLock;
import dev.jfail.kernel.kern.Waitable;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * OpenBSD's big lock (kern/kern_lock.c: KERNEL_LOCK, a ticket lock, __mp_lock): in 2022 the VFS,
 * the vnode pager and the pagedaemon ran holding it, so their threads interleave only where one
 * of them sleeps — a sleep releases the kernel lock and takes a ticket for it again on wakeup,
 * served in order. Every sleep of the OpenBSD model goes through here: {@link #sleep},
 * {@link #lock} (a lock that must be waited for), {@link #rwsleep}, and {@link #failpoint}.
 */
public final class KernelLock implements Waitable {
    // guarded by the kernel's sched lock
    private KThread owner;
    private long next_ticket;
    private long now_serving;

    /** Tickets whose threads are in a failpoint, away from the lock. */
    private final Map<Long, Away> away = new HashMap<>();

    /**
     * A thread in a failpoint. {@code back} is set, before anything else, once the failpoint has
     * returned: from then on the thread is on its way back to the lock (it may wait for the sched
     * lock, a spin mutex in the kernel, or be ordered by a tool at sched_lock_pre_op) and blocking
     * there is not a sleep in the failpoint.
     */
    private static final class Away {
        final Thread thread = Thread.currentThread();
        volatile boolean back;
    }

    /** Threads asleep without the kernel lock, each to get its ticket when a wakeup makes it runnable. */
    private final List<Sleeper> sleepers = new ArrayList<>();

    /** A sleeping thread: what it waits for, and its ticket once woken (-1 before). */
    private static final class Sleeper {
        final BooleanSupplier ready;
        long ticket = -1;

        Sleeper(BooleanSupplier ready) {
            this.ready = ready;
        }
    }

    private KernelLock(Kernel k) {
        k.sleepq_on_wakeup(this::setrunnable);
    }

    /**
     * At a wakeup (sched lock held): every sleeper the wakeup makes runnable takes its ticket for
     * the kernel lock now, in wakeup order — as OpenBSD puts a woken thread on the run queue at
     * wakeup. The order in which threads get the lock thus follows the order of the events that
     * woke them, not when the host's scheduler happens to run the Java threads.
     */
    private void setrunnable() {
        for (Sleeper s : sleepers) {
            if (s.ticket < 0 && s.ready.getAsBoolean()) {
                s.ticket = next_ticket++;
            }
        }
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
            kl.await_turn(k, td, kl.next_ticket++);
        } finally {
            k.sched_unlock();
        }
    }

    /**
     * Waits (sched lock held) until {@code ticket} is served, then owns the lock. While waiting,
     * a ticket being served whose thread is away in a failpoint and blocked there (asleep or
     * parked, as tsleep would be) is passed over: that thread has given up the lock, and queues
     * again when it comes back. A thread that spins in the failpoint (DELAY) keeps its turn.
     * A wait cut short (the kernel stopped) leaves its ticket unserved: every waiter is stopping too.
     */
    private void await_turn(Kernel k, KThread td, long ticket) {
        while (!k.sleepq_wait_for_ticket(this, "kernel_lock", () -> now_serving == ticket, AWAY_POLL_NANOS)) {
            pass_blocked_away(k);
        }
        owner = td;
    }

    private static final long AWAY_POLL_NANOS = 100_000;

    /** Serves past the tickets of threads blocked in a failpoint (sched lock held). */
    private void pass_blocked_away(Kernel k) {
        boolean passed = false;
        while (owner == null && away.containsKey(now_serving) && asleepInFailpoint(away.get(now_serving))) {
            away.remove(now_serving);
            now_serving++;
            passed = true;
        }
        if (passed) {
            k.sleepq_broadcast();
        }
    }

    /** Blocked, and still inside the failpoint: the state is read before {@code back}, which is set before any block on the way back. */
    private static boolean asleepInFailpoint(Away a) {
        Thread.State st = a.thread.getState();
        boolean blocked = st == Thread.State.WAITING || st == Thread.State.TIMED_WAITING || st == Thread.State.BLOCKED;
        return blocked && !a.back;
    }

    /** KERNEL_UNLOCK: the next ticket is served. */
    public static void KERNEL_UNLOCK(Kernel k) {
        KernelLock kl = of(k);
        k.sched_lock();
        try {
            k.modelCheck(kl.owner == k.curthread(), "KERNEL_UNLOCK: kernel lock not held by %s", k.curthread().label());
            kl.owner = null;
            kl.now_serving++;
            kl.pass_blocked_away(k);
            k.sleepq_broadcast();
        } finally {
            k.sched_unlock();
        }
    }

    public static void KERNEL_ASSERT_LOCKED(Kernel k) {
        KernelLock kl = of(k);
        k.sched_lock();
        try {
            k.modelCheck(kl.owner == k.curthread(), "KERNEL_ASSERT_LOCKED: kernel lock not held by %s", k.curthread().label());
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
     * the wakeup gives the thread its ticket, and the lock is held again on return, so the caller
     * re-checks what it waited for.
     */
    public static void sleep(Kernel k, Waitable on, String wmesg, BooleanSupplier ready) {
        sleep(k, on, wmesg, ready, () -> { });
    }

    /**
     * biowait for an I/O that {@code start} submits: the device's interrupt comes after the thread
     * has gone to sleep (a disk transfer takes far longer than the few instructions between
     * strategy and biowait), so the thread always sleeps and gives up the kernel lock.
     */
    public static void biowait(Kernel k, Runnable start, BooleanSupplier done) {
        sleep(k, null, "biowait", done, start);
    }

    private static void sleep(Kernel k, Waitable on, String wmesg, BooleanSupplier ready, Runnable asleep) {
        KernelLock kl = of(k);
        KThread td = k.curthread();
        k.sched_lock();
        try {
            if (ready.getAsBoolean()) {
                return;
            }
            KERNEL_UNLOCK(k);
            Sleeper s = new Sleeper(ready);
            kl.sleepers.add(s);
            asleep.run();
            try {
                k.sleepq_wait_for_ticket(on, wmesg, () -> s.ticket >= 0, 0);
            } finally {
                kl.sleepers.remove(s);
            }
            kl.await_turn(k, td, s.ticket);
        } finally {
            k.sched_unlock();
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
     * Runs a failpoint method {@code site} of the OpenBSD model. OpenBSD has no fail(9); a
     * failpoint that sleeps there sleeps as tsleep does, which gives up the kernel lock, and one
     * that spins (DELAY) keeps it. The model cannot know what whatever injects into the method
     * will do, and does not ask: the thread keeps its place in the lock's queue (a ticket taken
     * here, so only threads already runnable go first), and the lock passes over that place only
     * if the thread is seen blocked (asleep or parked) when its turn comes; it then queues again
     * when the failpoint returns, as a woken thread does. So the model behaves the same under any
     * injector, armed or not. When nothing happens in the failpoint, the threads already waiting
     * for the lock get it first — a scheduling point the model adds (see docs/races.md).
     */
    public static void failpoint(Kernel k, Runnable site) {
        KernelLock kl = of(k);
        KThread td = k.curthread();
        long ticket;
        Away me = new Away();
        k.sched_lock();
        try {
            ticket = kl.next_ticket++;
            kl.away.put(ticket, me);
            KERNEL_UNLOCK(k);
        } finally {
            k.sched_unlock();
        }
        try {
            site.run();
        } finally {
            me.back = true;
            k.sched_lock();
            try {
                boolean passed = kl.away.remove(ticket) == null;
                kl.await_turn(k, td, passed ? kl.next_ticket++ : ticket);
            } finally {
                k.sched_unlock();
            }
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
