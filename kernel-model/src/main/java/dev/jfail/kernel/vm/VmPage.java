package dev.jfail.kernel.vm;

import dev.jfail.kernel.kern.KThread;
import dev.jfail.kernel.kern.Kernel;
import dev.jfail.kernel.kern.Waitable;

import java.util.ArrayList;
import java.util.List;

/**
 * struct vm_page and the functions of vm/vm_page.c that the races need: allocation, lookup,
 * rename, free, the busy protocol (exclusive busy with its owner, shared busy with its holders),
 * validity, and grabbing (vm_page_grab, vm_page_grab_pages).
 *
 * <p>Fields are guarded by the owning object's lock, except the busy state (the kernel's sched
 * lock, so busy sleeps are in WITNESS's graph) and the pv list (the page's monitor). {@code data}
 * stands for the page's contents: a tag the workloads write and the final checks compare.
 */
public final class VmPage implements Waitable {
    public static final int PAGE_SHIFT = 12;
    public static final int PAGE_SIZE = 1 << PAGE_SHIFT;
    /** valid/dirty are bitmaps of DEV_BSIZE chunks; a whole page is all bits. */
    public static final int VM_PAGE_BITS_ALL = 0xff;

    // vm_page_alloc / vm_page_grab request flags (vm_page.h)
    public static final int VM_ALLOC_NORMAL = 0;
    public static final int VM_ALLOC_SYSTEM = 0x2;
    public static final int VM_ALLOC_WIRED = 0x20;
    public static final int VM_ALLOC_ZERO = 0x40;
    public static final int VM_ALLOC_NOBUSY = 0x200;
    public static final int VM_ALLOC_NOCREAT = 0x400;
    public static final int VM_ALLOC_IGN_SBUSY = 0x1000;
    public static final int VM_ALLOC_SBUSY = 0x4000;
    public static final int VM_ALLOC_NOWAIT = 0x8000;

    /** aflags: the page was referenced since the pagedaemon last looked. */
    public static final int PGA_REFERENCED = 0x08;
    /** oflags (object lock): a swap pager read of the page is in flight; someone sleeps for it. */
    public static final int VPO_SWAPSLEEP = 0x02;
    public static final int VPO_SWAPINPROG = 0x04;

    private final Kernel kernel;
    private final String addr;

    // guarded by the object lock
    public VmObject object;
    public long pindex;
    public int valid;
    public int dirty;
    public int wire_count;
    public int aflags;
    public long data;
    public boolean freed;
    public int oflags;

    // busy state: guarded by sched_lock
    private KThread xbusyOwner;
    private boolean xbusy;
    private final List<KThread> sbusiers = new ArrayList<>(1);
    private long busyGen;

    // pmap pv list: guarded by this
    final List<Pmap.Pv> pvList = new ArrayList<>(1);

    VmPage(Kernel kernel) {
        this.kernel = kernel;
        this.addr = kernel.kmem_addr(0x68);
    }

    public Kernel kernel() {
        return kernel;
    }

    /** %p. */
    @Override
    public String toString() {
        return addr;
    }

    // ------------------------------------------------------------------ allocation and lookup

    /**
     * vm_page_alloc: a new page at {@code pindex} of {@code object} (locked), invalid, exclusive-busy
     * by the current thread unless VM_ALLOC_NOBUSY / VM_ALLOC_SBUSY. Null if the radix node for it
     * cannot be allocated.
     */
    public static VmPage vm_page_alloc(VmObject object, long pindex, int req) {
        VmObject.VM_OBJECT_ASSERT_WLOCKED(object);
        VmPage m = new VmPage(object.kernel());
        if (vm_page_insert(m, object, pindex)) {
            return null;
        }
        if ((req & VM_ALLOC_WIRED) != 0) {
            m.wire_count++;
        }
        if ((req & VM_ALLOC_SBUSY) != 0) {
            vm_page_sbusy(m);
        } else if ((req & VM_ALLOC_NOBUSY) == 0) {
            vm_page_xbusy(m);
        }
        return m;
    }

    /** vm_page_lookup: the page at {@code pindex} of {@code object} (locked), or null. */
    public static VmPage vm_page_lookup(VmObject object, long pindex) {
        return object.memq.get(pindex);
    }

    /** vm_page_insert: whether it FAILED (vm_radix_insert could not allocate a node). */
    public static boolean vm_page_insert(VmPage m, VmObject object, long pindex) {
        VmObject.VM_OBJECT_ASSERT_WLOCKED(object);
        if (VmRadix.vm_radix_insert_fails(object.kernel())) {
            return true;
        }
        object.kernel().KASSERT(!object.memq.containsKey(pindex),
                "vm_page_insert: page already inserted at %d of %s", pindex, object);
        m.object = object;
        m.pindex = pindex;
        object.memq.put(pindex, m);
        object.resident_page_count++;
        object.generation++;
        return false;
    }

    /** vm_page_remove: takes the page out of its object; wakes whoever waits on its busy state. */
    public static void vm_page_remove(VmPage m) {
        VmObject object = m.object;
        if (object == null) {
            return;
        }
        VmObject.VM_OBJECT_ASSERT_WLOCKED(object);
        object.memq.remove(m.pindex);
        object.resident_page_count--;
        object.generation++;
        m.object = null;
        if (vm_page_xbusied(m)) {
            vm_page_xunbusy_unchecked(m);
        }
    }

    /**
     * vm_page_rename: moves {@code m} to {@code newPindex} of {@code newObject}; both objects locked.
     * Returns whether it FAILED (no radix node), in which case nothing changed.
     */
    public static boolean vm_page_rename(VmPage m, VmObject newObject, long newPindex) {
        VmObject.VM_OBJECT_ASSERT_WLOCKED(newObject);
        if (VmRadix.vm_radix_insert_fails(newObject.kernel())) {
            return true;
        }
        boolean wasX = vm_page_xbusied(m);
        KThread owner = m.kernel.curthread();
        VmObject old = m.object;
        old.memq.remove(m.pindex);
        old.resident_page_count--;
        old.generation++;
        m.object = null;
        m.kernel.KASSERT(!newObject.memq.containsKey(newPindex),
                "vm_page_rename: page already exists at %d of %s", newPindex, newObject);
        m.object = newObject;
        m.pindex = newPindex;
        newObject.memq.put(newPindex, m);
        newObject.resident_page_count++;
        newObject.generation++;
        vm_page_dirty(m);
        m.kernel.modelCheck(!wasX || vm_page_xbusied(m), "vm_page_rename: lost busy of %s (%s)", m, owner);
        return false;
    }

    /**
     * vm_page_free: frees the page. Like vm_page_free_toq, it must not be mapped (KASSERT) nor
     * shared-busy; an exclusive busy ends with it. The page is gone: its contents with it.
     */
    public static void vm_page_free(VmPage m) {
        Kernel k = m.kernel;
        k.KASSERT(!Pmap.pmap_page_is_mapped(m), "vm_page_free_toq: freeing mapped page %s", m);
        k.KASSERT(!vm_page_sbusied(m), "vm_page_free: freeing busy page %s", m);
        vm_page_remove(m);
        m.freed = true;
        m.valid = 0;
        m.dirty = 0;
        m.wire_count = 0;
        vm_page_xunbusy_if_busied(m);
    }

    // ------------------------------------------------------------------ validity

    public static boolean vm_page_all_valid(VmPage m) {
        return m.valid == VM_PAGE_BITS_ALL;
    }

    /** vm_page_valid: the whole page holds {@code data}. */
    public static void vm_page_valid(VmPage m, long data) {
        m.data = data;
        m.valid = VM_PAGE_BITS_ALL;
    }

    public static void vm_page_dirty(VmPage m) {
        m.dirty = VM_PAGE_BITS_ALL;
    }

    public static void vm_page_wire(VmPage m) {
        m.wire_count++;
    }

    public static void vm_page_unwire(VmPage m) {
        m.kernel.KASSERT(m.wire_count > 0, "vm_page_unwire: page %s's wire count is zero", m);
        m.wire_count--;
    }

    public static void vm_page_aflag_set(VmPage m, int bits) {
        m.aflags |= bits;
    }

    // ------------------------------------------------------------------ busy

    public static boolean vm_page_busied(VmPage m) {
        m.kernel.sched_lock();
        try {
            return m.xbusy || !m.sbusiers.isEmpty();
        } finally {
            m.kernel.sched_unlock();
        }
    }

    public static boolean vm_page_xbusied(VmPage m) {
        m.kernel.sched_lock();
        try {
            return m.xbusy;
        } finally {
            m.kernel.sched_unlock();
        }
    }

    public static boolean vm_page_sbusied(VmPage m) {
        m.kernel.sched_lock();
        try {
            return !m.sbusiers.isEmpty();
        } finally {
            m.kernel.sched_unlock();
        }
    }

    /** Whether the current thread holds it exclusive-busy. */
    public static boolean vm_page_xbusied_by_curthread(VmPage m) {
        m.kernel.sched_lock();
        try {
            return m.xbusy && m.xbusyOwner == m.kernel.curthread();
        } finally {
            m.kernel.sched_unlock();
        }
    }

    public static boolean vm_page_tryxbusy(VmPage m) {
        m.kernel.sched_lock();
        try {
            if (m.xbusy || !m.sbusiers.isEmpty()) {
                return false;
            }
            m.xbusy = true;
            m.xbusyOwner = m.kernel.curthread();
            return true;
        } finally {
            m.kernel.sched_unlock();
        }
    }

    public static boolean vm_page_trysbusy(VmPage m) {
        m.kernel.sched_lock();
        try {
            if (m.xbusy) {
                return false;
            }
            m.sbusiers.add(m.kernel.curthread());
            return true;
        } finally {
            m.kernel.sched_unlock();
        }
    }

    /** vm_page_xbusy: the page must not be busy (callers grab it busy or sleep first). */
    public static void vm_page_xbusy(VmPage m) {
        if (!vm_page_tryxbusy(m)) {
            m.kernel.panic("vm_page_xbusy: page %s failed exclusive busying", m);
        }
    }

    public static void vm_page_sbusy(VmPage m) {
        if (!vm_page_trysbusy(m)) {
            m.kernel.panic("vm_page_sbusy: page %s failed shared busying", m);
        }
    }

    /** vm_page_xunbusy: the current thread ends its exclusive busy. */
    public static void vm_page_xunbusy(VmPage m) {
        m.kernel.sched_lock();
        try {
            m.kernel.KASSERT(m.xbusy, "vm_page_xunbusy: page %s not exclusive busy", m);
            m.kernel.KASSERT(m.xbusyOwner == m.kernel.curthread(),
                    "vm_page_xunbusy: page %s exclusive busy by another thread", m);
            unbusyLocked(m);
        } finally {
            m.kernel.sched_unlock();
        }
    }

    /** vm_page_xunbusy_unchecked: any thread ends the exclusive busy (I/O completion). */
    public static void vm_page_xunbusy_unchecked(VmPage m) {
        m.kernel.sched_lock();
        try {
            m.kernel.KASSERT(m.xbusy, "vm_page_xunbusy: page %s not exclusive busy", m);
            unbusyLocked(m);
        } finally {
            m.kernel.sched_unlock();
        }
    }

    private static void vm_page_xunbusy_if_busied(VmPage m) {
        m.kernel.sched_lock();
        try {
            if (m.xbusy) {
                unbusyLocked(m);
            } else {
                m.busyGen++;
                m.kernel.sleepq_broadcast();
            }
        } finally {
            m.kernel.sched_unlock();
        }
    }

    private static void unbusyLocked(VmPage m) {
        m.xbusy = false;
        m.xbusyOwner = null;
        m.busyGen++;
        m.kernel.sleepq_broadcast();
    }

    /** vm_page_sunbusy: the current thread drops one shared busy. */
    public static void vm_page_sunbusy(VmPage m) {
        m.kernel.sched_lock();
        try {
            KThread td = m.kernel.curthread();
            boolean had = m.sbusiers.remove(td) || (!m.sbusiers.isEmpty() && m.sbusiers.remove(0) != null);
            m.kernel.KASSERT(had, "vm_page_sunbusy: page %s not shared busy", m);
            m.busyGen++;
            m.kernel.sleepq_broadcast();
        } finally {
            m.kernel.sched_unlock();
        }
    }

    /** vm_page_busy_downgrade: exclusive to shared busy, by its owner. */
    public static void vm_page_busy_downgrade(VmPage m) {
        m.kernel.sched_lock();
        try {
            KThread td = m.kernel.curthread();
            m.kernel.KASSERT(m.xbusy, "vm_page_busy_downgrade: page %s not exclusive busy", m);
            m.xbusy = false;
            m.xbusyOwner = null;
            m.sbusiers.add(td);
            m.busyGen++;
            m.kernel.sleepq_broadcast();
        } finally {
            m.kernel.sched_unlock();
        }
    }

    /** vm_page_busy_tryupgrade: shared to exclusive if the current thread is the only sharer. */
    public static boolean vm_page_busy_tryupgrade(VmPage m) {
        m.kernel.sched_lock();
        try {
            KThread td = m.kernel.curthread();
            if (m.xbusy || m.sbusiers.size() != 1 || m.sbusiers.get(0) != td) {
                return false;
            }
            m.sbusiers.clear();
            m.xbusy = true;
            m.xbusyOwner = td;
            return true;
        } finally {
            m.kernel.sched_unlock();
        }
    }

    /**
     * vm_page_busy_sleep: with the object locked and the page busy, drops the object lock and
     * sleeps until the busy state changes ({@code nonshared}: only an exclusive busy is waited
     * for). Returns with the object unlocked; the caller looks the page up again.
     */
    public static void vm_page_busy_sleep(VmPage m, String wmesg, boolean nonshared) {
        Kernel k = m.kernel;
        VmObject object = m.object;
        k.sched_lock();
        try {
            if (object != null) {
                object.lock.unlock();
            }
            long gen = m.busyGen;
            k.sleepq_wait(m, wmesg, () -> m.busyGen != gen || !(m.xbusy || (!nonshared && !m.sbusiers.isEmpty())), 0);
        } finally {
            k.sched_unlock();
        }
    }

    // ------------------------------------------------------------------ grab

    /**
     * vm_page_grab: the page at {@code pindex}, allocated if absent (unless VM_ALLOC_NOCREAT),
     * busied as {@code allocflags} asks; sleeps "pgrbwt" while it is busy. Object locked.
     */
    public static VmPage vm_page_grab(VmObject object, long pindex, int allocflags) {
        VmPage[] ma = new VmPage[1];
        return grabPages(object, pindex, allocflags, ma, 1, "pgrbwt") == 1 ? ma[0] : null;
    }

    /**
     * vm_page_grab_pages: grabs {@code count} consecutive pages from {@code pindex} into {@code ma}.
     * A page busy in a way {@code allocflags} cannot ignore is slept on ("grbmaw") and looked up
     * again: with VM_ALLOC_IGN_SBUSY only an exclusive busy stops it. Returns how many were grabbed.
     */
    public static int vm_page_grab_pages(VmObject object, long pindex, int allocflags, VmPage[] ma, int count) {
        return grabPages(object, pindex, allocflags, ma, count, "grbmaw");
    }

    private static int grabPages(VmObject object, long pindex, int allocflags, VmPage[] ma, int count,
                                 String wmesg) {
        VmObject.VM_OBJECT_ASSERT_WLOCKED(object);
        int i = 0;
        while (i < count) {
            VmPage m = vm_page_lookup(object, pindex + i);
            if (m != null) {
                boolean sleep = (allocflags & VM_ALLOC_IGN_SBUSY) != 0 ? vm_page_xbusied(m) : vm_page_busied(m);
                if (sleep) {
                    if ((allocflags & VM_ALLOC_NOWAIT) != 0) {
                        break;
                    }
                    vm_page_aflag_set(m, PGA_REFERENCED);
                    vm_page_busy_sleep(m, wmesg, (allocflags & VM_ALLOC_IGN_SBUSY) != 0);
                    VmObject.VM_OBJECT_WLOCK(object);
                    continue;
                }
                if ((allocflags & VM_ALLOC_WIRED) != 0) {
                    vm_page_wire(m);
                }
                if ((allocflags & (VM_ALLOC_NOBUSY | VM_ALLOC_SBUSY)) == 0) {
                    vm_page_xbusy(m);
                }
                if ((allocflags & VM_ALLOC_SBUSY) != 0) {
                    vm_page_sbusy(m);
                }
            } else {
                if ((allocflags & VM_ALLOC_NOCREAT) != 0) {
                    break;
                }
                m = vm_page_alloc(object, pindex + i, allocflags & ~VM_ALLOC_IGN_SBUSY);
                if (m == null) {
                    if ((allocflags & VM_ALLOC_NOWAIT) != 0) {
                        break;
                    }
                    VmObject.VM_OBJECT_WUNLOCK(object);
                    VmPageout.vm_wait(object.kernel());
                    VmObject.VM_OBJECT_WLOCK(object);
                    continue;
                }
            }
            ma[i++] = m;
        }
        return i;
    }

    // ------------------------------------------------------------------ Waitable

    @Override
    public List<KThread> holders() {
        return xbusy ? (xbusyOwner == null ? List.of() : List.of(xbusyOwner)) : List.copyOf(sbusiers);
    }

    @Override
    public String describe() {
        return "page " + addr + (object != null ? " (pindex " + pindex + " of object " + object + ")" : "");
    }

    @Override
    public String holdState() {
        return xbusy ? "exclusive-busy" : "shared-busy (" + sbusiers.size() + ")";
    }
}
