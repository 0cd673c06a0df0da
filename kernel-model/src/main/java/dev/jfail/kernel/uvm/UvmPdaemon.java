package dev.jfail.kernel.uvm;

import dev.jfail.kernel.kern.Kernel;
import dev.jfail.kernel.vm.VmObject;
import dev.jfail.kernel.vm.VmPage;
import dev.jfail.kernel.vm.VmPageout;

/**
 * The pagedaemon (OpenBSD sys/uvm/uvm_pdaemon.c): woken by a memory shortage, it scans the
 * inactive queue: a page whose object it can lock (try only), not busy: freed if clean, else
 * busied and written out through its pager with PGO_PDFREECLUST.
 */
public final class UvmPdaemon {

    /** Whether the pagedaemon has been woken (uvm.pagedaemon's wakeup), per kernel. */
    static final class Pagedaemon {
        volatile boolean wanted;
    }

    private UvmPdaemon() {
    }

    private static Pagedaemon pd(Kernel k) {
        return k.subsystem(Pagedaemon.class, kernel -> new Pagedaemon());
    }

    /**
     * uvm_pageout: sleeps ("pgdaemon") until a memory shortage wakes it, then scans once (the
     * model's shortage is a single one).
     */
    public static void uvm_pageout(Kernel k) {
        Pagedaemon pd = pd(k);
        KernelLock.sleep(k, null, "pgdaemon", () -> pd.wanted);
        uvmpd_scan(k);
    }

    /** wakeup(&uvm.pagedaemon): an allocation found memory short. */
    public static void pagedaemon_wakeup(Kernel k) {
        Pagedaemon pd = pd(k);
        k.sched_lock();
        try {
            pd.wanted = true;
            k.sleepq_broadcast();
        } finally {
            k.sched_unlock();
        }
    }

    static void uvmpd_scan(Kernel k) {
        uvmpd_scan_inactive(k);
    }

    /** uvmpd_scan_inactive: the inactive queue from its head. */
    static int uvmpd_scan_inactive(Kernel k) {
        KernelLock.KERNEL_ASSERT_LOCKED(k);
        int freed = 0;
        for (VmPage p : VmPageout.inactiveQueue(k)) {
            VmObject uobj = p.object;
            if (uobj == null || uobj.type != VmObject.OBJT_VNODE) {
                continue;
            }
            // uvmpd_trylockowner: locking in the wrong order (page queue -> object), so try only
            if (!uobj.lock.try_xlock()) {
                continue;
            }
            try {
                if (p.object != uobj || VmPage.vm_page_busied(p)) {
                    continue;
                }
                if (p.dirty == 0) {
                    VmPage.vm_page_free(p);
                    freed++;
                    continue;
                }
                VmPage.vm_page_xbusy(p);
                UvmPager.uvm_pager_put(uobj, p, UvmVnode.PGO_ALLPAGES | UvmVnode.PGO_PDFREECLUST);
            } finally {
                uobj.lock.unlock();
            }
        }
        return freed;
    }
}
