package dev.jfail.kernel.kern;

import java.util.ArrayList;
import java.util.List;

/**
 * A sleepable shared/exclusive lock: the model's rwlock(9) (the vm object lock), lockmgr(9) (vnode
 * and buf locks) and mtx(9). Its state is guarded by the kernel's sched_lock and every wait goes
 * through {@link Kernel#sleepq_wait}, so lock waits are in the WITNESS wait-for graph.
 * Writers are preferred, as in lockmgr and rwlock: a thread waiting for an exclusive hold keeps
 * new shared holds out (see {@link #canShare}), so readers coming back to back cannot starve it.
 * An exclusive lock may be disowned to {@code LK_KERNPROC} (owned by no thread, as a buf whose I/O
 * is in flight), after which any thread may release it.
 */
public final class SleepLock implements Waitable {
    // lockmgr(9) request flags
    public static final int LK_SHARED = 0x1;
    public static final int LK_EXCLUSIVE = 0x2;
    public static final int LK_RELEASE = 0x4;
    public static final int LK_DOWNGRADE = 0x8;
    public static final int LK_UPGRADE = 0x10;
    public static final int LK_TYPE_MASK = 0xff;
    public static final int LK_NOWAIT = 0x100;
    public static final int LK_RETRY = 0x200;

    private final Kernel kernel;
    private final String kind;
    private final String name;
    private final String addr;
    // guarded by sched_lock
    private KThread owner;
    private boolean kernproc;
    private final List<KThread> sharers = new ArrayList<>(2);
    /** Threads sleeping for an exclusive hold: new shared holds wait behind them (lockmgr, rwlock). */
    private int xwaiters;

    private SleepLock(Kernel kernel, String kind, String name) {
        this.kernel = kernel;
        this.kind = kind;
        this.name = name;
        this.addr = kernel.kmem_addr(0x20);
    }

    /** rwlock(9), e.g. {@code "vm object"}. */
    public static SleepLock rw(Kernel kernel, String name) {
        return new SleepLock(kernel, "rw", name);
    }

    /** lockmgr(9), e.g. {@code "nfs"} for an NFS vnode, {@code "bufwait"} for a buf. */
    public static SleepLock lockmgr(Kernel kernel, String name) {
        return new SleepLock(kernel, "lockmgr", name);
    }

    /** mtx(9), exclusive only. */
    public static SleepLock mtx(Kernel kernel, String name) {
        return new SleepLock(kernel, "mtx", name);
    }

    public String name() {
        return name;
    }

    public void xlock() {
        kernel.sched_lock();
        try {
            xlockLocked();
        } finally {
            kernel.sched_unlock();
        }
    }

    void xlockLocked() {
        KThread td = kernel.curthread();
        if (!unheld()) {
            xwaiters++;
            try {
                kernel.sleepq_wait(this, name, this::unheld, 0);
            } finally {
                xwaiters--;
            }
        }
        owner = td;
        td.locksHeld.add(this);
        ktr("lock", "exclusive");
    }

    /** A KTR_LOCK entry naming this lock by kind, name and address (made only while KTR_LOCK is traced). */
    private void ktr(String what, String how) {
        if (Ktr.enabled(Ktr.KTR_LOCK)) {
            Ktr.CTR(Ktr.KTR_LOCK, what, kind + " \"" + name + "\" " + addr, how);
        }
    }

    public boolean try_xlock() {
        kernel.sched_lock();
        try {
            if (!unheld()) {
                return false;
            }
            KThread td = kernel.curthread();
            owner = td;
            td.locksHeld.add(this);
            ktr("lock", "exclusive (try)");
            return true;
        } finally {
            kernel.sched_unlock();
        }
    }

    public void slock() {
        kernel.sched_lock();
        try {
            KThread td = kernel.curthread();
            kernel.sleepq_wait(this, name, () -> canShare(td), 0);
            sharers.add(td);
            td.locksHeld.add(this);
            ktr("lock", "shared");
        } finally {
            kernel.sched_unlock();
        }
    }

    public boolean try_slock() {
        kernel.sched_lock();
        try {
            KThread td = kernel.curthread();
            if (!canShare(td)) {
                return false;
            }
            sharers.add(td);
            td.locksHeld.add(this);
            ktr("lock", "shared (try)");
            return true;
        } finally {
            kernel.sched_unlock();
        }
    }

    /** Releases the current thread's hold (exclusive, shared, or a disowned exclusive hold). */
    public void unlock() {
        kernel.sched_lock();
        try {
            unlockLocked(kernel.curthread());
        } finally {
            kernel.sched_unlock();
        }
    }

    void unlockLocked(KThread td) {
        ktr("unlock", null);
        if (owner == td) {
            owner = null;
        } else if (sharers.remove(td)) {
            // one shared hold released
        } else if (kernproc) {
            kernproc = false;
        } else {
            kernel.panic("%s: %s lock \"%s\" %s not held by %s", kind.equals("lockmgr") ? "lockmgr" : "__" + kind + "_unlock",
                    kind, name, addr, td.label());
        }
        td.locksHeld.remove(this);
        kernel.sleepq_broadcast();
    }

    /** Exclusive to shared, without letting anyone in between. */
    public void downgrade() {
        kernel.sched_lock();
        try {
            KThread td = kernel.curthread();
            kernel.KASSERT(owner == td, "downgrade of %s lock \"%s\" not exclusively held", kind, name);
            owner = null;
            sharers.add(td);
            kernel.sleepq_broadcast();
        } finally {
            kernel.sched_unlock();
        }
    }

    /** Shared to exclusive if the current thread is the only sharer. */
    public boolean try_upgrade() {
        kernel.sched_lock();
        try {
            KThread td = kernel.curthread();
            if (sharers.size() == 1 && sharers.get(0) == td) {
                sharers.clear();
                owner = td;
                return true;
            }
            return false;
        } finally {
            kernel.sched_unlock();
        }
    }

    /** lockmgr_disown: the exclusive hold now belongs to no thread (LK_KERNPROC). */
    public void disown() {
        kernel.sched_lock();
        try {
            KThread td = kernel.curthread();
            kernel.KASSERT(owner == td, "disown of %s lock \"%s\" not exclusively held", kind, name);
            owner = null;
            kernproc = true;
            td.locksHeld.remove(this);
            kernel.sleepq_broadcast();
        } finally {
            kernel.sched_unlock();
        }
    }

    /**
     * lockmgr(9): {@code LK_SHARED}, {@code LK_EXCLUSIVE}, {@code LK_RELEASE}, {@code LK_DOWNGRADE},
     * {@code LK_UPGRADE}, with {@code LK_NOWAIT}. Returns 0, or EBUSY when LK_NOWAIT could not lock.
     */
    public int lockmgr(int flags) {
        boolean nowait = (flags & LK_NOWAIT) != 0;
        switch (flags & LK_TYPE_MASK) {
            case LK_SHARED -> {
                if (nowait) {
                    return try_slock() ? 0 : Errno.EBUSY;
                }
                slock();
            }
            case LK_EXCLUSIVE -> {
                if (nowait) {
                    return try_xlock() ? 0 : Errno.EBUSY;
                }
                xlock();
            }
            case LK_RELEASE -> unlock();
            case LK_DOWNGRADE -> downgrade();
            case LK_UPGRADE -> {
                if (!try_upgrade()) {
                    unlock();
                    if (nowait) {
                        return Errno.EBUSY;
                    }
                    xlock();
                }
            }
            default -> kernel.panic("lockmgr: unknown lockmgr request 0x%x", flags);
        }
        return 0;
    }

    /** Whether the current thread holds it exclusively. */
    public boolean xlocked() {
        kernel.sched_lock();
        try {
            return owner != null && owner == kernel.curthread();
        } finally {
            kernel.sched_unlock();
        }
    }

    /** Whether anyone holds it (in any mode). */
    public boolean locked() {
        kernel.sched_lock();
        try {
            return !unheld();
        } finally {
            kernel.sched_unlock();
        }
    }

    /** "SHARED (count 1)", "EXCLUSIVE by 100045 (nginx)", "UNLOCKED": lockmgr_printinfo's words. */
    public String status() {
        kernel.sched_lock();
        try {
            if (owner != null) {
                return "EXCLUSIVE by thread " + owner.label();
            }
            if (kernproc) {
                return "EXCLUSIVE by LK_KERNPROC";
            }
            return sharers.isEmpty() ? "UNLOCKED" : "SHARED (count " + sharers.size() + ")";
        } finally {
            kernel.sched_unlock();
        }
    }

    /** VM_OBJECT_ASSERT_WLOCKED and friends. */
    public void assert_xlocked() {
        kernel.KASSERT(xlocked(), "%s lock \"%s\" %s not exclusively locked", kind, name, addr);
    }

    /**
     * lockmgr's LK_CAN_SHARE: not held exclusive, and no writer waiting — unless the thread holds
     * shared locks already (td_lk_slocks), which would otherwise deadlock against that writer.
     */
    private boolean canShare(KThread td) {
        return owner == null && !kernproc && (xwaiters == 0 || holdsShared(td));
    }

    private static boolean holdsShared(KThread td) {
        for (Object l : td.locksHeld) {
            if (l instanceof SleepLock lock && lock.sharers.contains(td)) {
                return true;
            }
        }
        return false;
    }

    private boolean unheld() {
        return owner == null && !kernproc && sharers.isEmpty();
    }

    @Override
    public List<KThread> holders() {
        return owner != null ? List.of(owner) : List.copyOf(sharers);
    }

    @Override
    public String describe() {
        return kind + " lock \"" + name + "\" " + addr;
    }

    @Override
    public String holdState() {
        if (owner != null) {
            return "locked exclusive";
        }
        return kernproc ? "locked exclusive by LK_KERNPROC" : "locked shared (" + sharers.size() + ")";
    }

    @Override
    public String toString() {
        return addr;
    }
}
