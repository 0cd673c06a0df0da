package dev.jfail.kernel.vm;

import dev.jfail.FailPoint;
import dev.jfail.kernel.kern.KThread;
import dev.jfail.kernel.kern.Kernel;
import dev.jfail.kernel.kern.KernelPanic;
import dev.jfail.kernel.vfs.Vnode;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * vm/vm_pageout.c: the inactive queue, the pagedaemon and its scan of the queue, and VM_WAIT.
 * The scan takes pages from the head of the inactive queue in batches of VM_BATCHQUEUE_SIZE,
 * locks each page's object, frees pages that are clean, unbusied, unwired, unmapped and not
 * referenced (a referenced page is requeued, a busy one skipped), and drops the object lock
 * between batches to take the next batch from the queue. A batch can end inside a filesystem
 * block: that block is then partly evicted (failpoint {@code pageout_evict_partial_block}), for a
 * moment, or for good when the pass ends there (its shortage met).
 */
public final class VmPageout {
    /** vm_batchqueue's size: pages taken from a page queue at a time. */
    public static final int VM_BATCHQUEUE_SIZE = 7;

    /** The per-kernel inactive queue (PQ_INACTIVE), guarded by its monitor (the page queue lock). */
    static final class PageQueues {
        final Deque<VmPage> inactive = new ArrayDeque<>();

        PageQueues(Kernel k) {
        }
    }

    private VmPageout() {
    }

    static PageQueues queues(Kernel k) {
        return k.subsystem(PageQueues.class, PageQueues::new);
    }

    /** vm_page_deactivate: puts the page at the tail of the inactive queue. */
    public static void vm_page_deactivate(VmPage m) {
        PageQueues pq = queues(m.kernel());
        synchronized (pq) {
            pq.inactive.remove(m);
            pq.inactive.addLast(m);
        }
    }

    /** The inactive queue, head first. */
    public static List<VmPage> inactiveQueue(Kernel k) {
        PageQueues pq = queues(k);
        synchronized (pq) {
            return new ArrayList<>(pq.inactive);
        }
    }

    /**
     * The pagedaemon's wakeup state (vm_pages_needed, and the passes it has finished, which is
     * what a thread in VM_WAIT waits for), guarded by sched_lock.
     */
    static final class Pagedaemon {
        boolean running;
        boolean vm_pages_needed;
        long passes;
    }

    private static Pagedaemon pd(Kernel k) {
        return k.subsystem(Pagedaemon.class, kernel -> new Pagedaemon());
    }

    /**
     * VM_WAIT (vm_wait): memory is short. Sets vm_pages_needed, wakes the pagedaemon and sleeps
     * "vmwait" until its pass is done (vm_page_free_wakeup's wakeup of v_free_count). A kernel
     * whose workload started no pagedaemon sleeps a tick instead (the model's choice).
     */
    public static void vm_wait(Kernel k) {
        Pagedaemon pd = pd(k);
        k.sched_lock();
        try {
            if (pd.running) {
                long pass = pd.passes;
                pd.vm_pages_needed = true;
                k.sleepq_broadcast(); // wakeup(&vm_pages_needed)
                k.sleepq_wait(null, "vmwait", () -> pd.passes != pass, 0);
                return;
            }
        } finally {
            k.sched_unlock();
        }
        k.pause("vmwait", 1);
    }

    /**
     * vm_pageout: starts the pagedaemon, a kernel thread that runs {@link #vm_pageout_worker}
     * freeing up to {@code shortage} pages a pass.
     */
    public static KThread vm_pageout(Kernel k, int shortage) {
        Pagedaemon pd = pd(k);
        k.sched_lock();
        try {
            pd.running = true;
        } finally {
            k.sched_unlock();
        }
        return k.kthread_add("pagedaemon", () -> vm_pageout_worker(k, shortage));
    }

    /**
     * vm_pageout_worker: the pagedaemon's loop. Sleeps "psleep" until VM_WAIT wakes it (or a
     * second, hz, passes), runs a pass over the inactive queue (vm_pageout_scan), then wakes the
     * threads in VM_WAIT (vm_page_free_wakeup). It runs until the kernel stops.
     */
    static void vm_pageout_worker(Kernel k, int shortage) {
        Pagedaemon pd = pd(k);
        while (true) {
            k.sched_lock();
            try {
                k.sleepq_wait(null, "psleep", () -> pd.vm_pages_needed, TimeUnit.SECONDS.toNanos(1));
            } finally {
                k.sched_unlock();
            }
            vm_pageout_scan(k, shortage);
            vm_page_free_wakeup(k, pd);
        }
    }

    /** vm_page_free_wakeup: a pass is done; the threads in VM_WAIT go on. */
    private static void vm_page_free_wakeup(Kernel k, Pagedaemon pd) {
        k.sched_lock();
        try {
            pd.vm_pages_needed = false;
            pd.passes++;
            k.sleepq_broadcast(); // wakeup(&cnt.v_free_count)
        } finally {
            k.sched_unlock();
        }
    }

    /**
     * vm_pageout_scan: frees up to {@code shortage} pages from the inactive queue, looking at each
     * page once; returns how many it freed.
     */
    public static int vm_pageout_scan(Kernel k, int shortage) {
        PageQueues pq = queues(k);
        int freed = 0;
        int budget;
        synchronized (pq) {
            budget = pq.inactive.size();
        }
        while (freed < shortage && budget > 0) {
            List<VmPage> batch = new ArrayList<>(VM_BATCHQUEUE_SIZE);
            synchronized (pq) {
                while (batch.size() < VM_BATCHQUEUE_SIZE && budget > 0 && !pq.inactive.isEmpty()) {
                    batch.add(pq.inactive.pollFirst());
                    budget--;
                }
            }
            if (batch.isEmpty()) {
                break;
            }
            VmPage lastFreed = null;
            VmObject object = null;
            for (VmPage m : batch) {
                if (freed >= shortage) {
                    requeue(pq, m);
                    continue;
                }
                VmObject mobj = m.object;
                if (mobj == null) {
                    continue;
                }
                if (object != mobj) {
                    if (object != null) {
                        VmObject.VM_OBJECT_WUNLOCK(object);
                    }
                    object = mobj;
                    VmObject.VM_OBJECT_WLOCK(object);
                }
                if (m.object != object) {
                    continue;
                }
                if (vm_pageout_reclaimable(m)) {
                    VmPage.vm_page_free(m);
                    freed++;
                    lastFreed = m;
                } else {
                    m.aflags &= ~VmPage.PGA_REFERENCED;
                    requeue(pq, m);
                }
            }
            if (object != null) {
                if (lastFreed != null && endsInsideBlock(object, lastFreed.pindex)) {
                    VmObject.VM_OBJECT_WUNLOCK(object);
                    pageout_evict_partial_block(k);
                } else {
                    VmObject.VM_OBJECT_WUNLOCK(object);
                }
            }
        }
        return freed;
    }

    /** Whether the pagedaemon may free the page now (object locked). */
    private static boolean vm_pageout_reclaimable(VmPage m) {
        return !VmPage.vm_page_busied(m) && m.wire_count == 0 && m.dirty == 0
                && (m.aflags & VmPage.PGA_REFERENCED) == 0 && !Pmap.pmap_page_is_mapped(m);
    }

    /** Whether the page after {@code pindex} belongs to the same filesystem block of a vnode object. */
    private static boolean endsInsideBlock(VmObject object, long pindex) {
        if (object.type != VmObject.OBJT_VNODE || !(object.handle instanceof Vnode vp) || vp.v_mount == null) {
            return false;
        }
        int pagesperblock = Math.max(1, vp.v_mount.f_iosize / VmPage.PAGE_SIZE);
        return (pindex + 1) % pagesperblock != 0;
    }

    private static void requeue(PageQueues pq, VmPage m) {
        synchronized (pq) {
            pq.inactive.addLast(m);
        }
    }

    /**
     * Failpoint: the scan has dropped the object lock with part of a filesystem block evicted and
     * the rest of it still valid, before it takes its next batch.
     */
    @FailPoint(value = "pageout_evict_partial_block", panic = KernelPanic.class)
    static void pageout_evict_partial_block(Kernel k) {
        // a point to inject at: it does nothing itself
    }
}
