package dev.jfail.kernel.vm;

import dev.jfail.kernel.kern.Kernel;
import dev.jfail.kernel.kern.SleepLock;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * struct vm_object and the simple functions of vm/vm_object.c: allocation, the object lock
 * (VM_OBJECT_WLOCK...), references, paging_in_progress, shadowing. Collapse lives in
 * {@link VmObjectCollapse}. Fields are guarded by {@link #lock}.
 */
public final class VmObject {
    // type
    public static final int OBJT_DEFAULT = 0;
    public static final int OBJT_SWAP = 1;
    public static final int OBJT_VNODE = 2;
    public static final int OBJT_DEAD = 8;
    // flags
    public static final int OBJ_DEAD = 0x0008;
    public static final int OBJ_COLLAPSING = 0x0200;

    private final Kernel kernel;
    private final String addr;
    public final SleepLock lock;

    public int type;
    public int flags;
    public int ref_count;
    public int shadow_count;
    public int paging_in_progress;
    public int resident_page_count;
    public int generation;
    /** Size in pages. */
    public long size;
    public VmObject backing_object;
    /** Offset in bytes of this object in its backing object. */
    public long backing_object_offset;
    public final List<VmObject> shadow_head = new ArrayList<>();
    /** memq and rtree in one: resident pages by pindex. */
    public final TreeMap<Long, VmPage> memq = new TreeMap<>();
    /** The swap pager's blocks by pindex (OBJT_SWAP). */
    public final TreeMap<Long, SwBlk> swblks = new TreeMap<>();
    /** OBJT_VNODE: the vnode. */
    public Object handle;
    /** OBJT_VNODE: un_pager.vnp.vnp_size, the file size in bytes. */
    public long vnp_size;

    private VmObject(Kernel kernel, int type, long size) {
        this.kernel = kernel;
        this.addr = kernel.kmem_addr(0x118);
        this.lock = SleepLock.rw(kernel, "vm object");
        this.type = type;
        this.size = size;
        this.ref_count = 1;
    }

    public Kernel kernel() {
        return kernel;
    }

    /** %p. */
    @Override
    public String toString() {
        return addr;
    }

    /** vm_object_allocate: a new object of {@code size} pages with one reference. */
    public static VmObject vm_object_allocate(Kernel kernel, int type, long size) {
        return new VmObject(kernel, type, size);
    }

    public static long OFF_TO_IDX(long off) {
        return off >>> VmPage.PAGE_SHIFT;
    }

    public static long IDX_TO_OFF(long idx) {
        return idx << VmPage.PAGE_SHIFT;
    }

    // ------------------------------------------------------------------ lock

    public static void VM_OBJECT_WLOCK(VmObject object) {
        object.lock.xlock();
    }

    public static void VM_OBJECT_WUNLOCK(VmObject object) {
        object.lock.unlock();
    }

    public static boolean VM_OBJECT_TRYWLOCK(VmObject object) {
        return object.lock.try_xlock();
    }

    public static void VM_OBJECT_ASSERT_WLOCKED(VmObject object) {
        object.lock.assert_xlocked();
    }

    // ------------------------------------------------------------------ flags and references

    public static void vm_object_set_flag(VmObject object, int bits) {
        object.flags |= bits;
    }

    public static void vm_object_clear_flag(VmObject object, int bits) {
        object.flags &= ~bits;
    }

    /** vm_object_reference_locked. */
    public static void vm_object_reference_locked(VmObject object) {
        VM_OBJECT_ASSERT_WLOCKED(object);
        object.ref_count++;
    }

    // ------------------------------------------------------------------ paging in progress

    public static void vm_object_pip_add(VmObject object, int i) {
        VM_OBJECT_ASSERT_WLOCKED(object);
        object.paging_in_progress += i;
    }

    /** vm_object_pip_wakeup: one paging operation done; wakes vm_object_pip_wait at zero. */
    public static void vm_object_pip_wakeup(VmObject object) {
        vm_object_pip_wakeupn(object, 1);
    }

    public static void vm_object_pip_wakeupn(VmObject object, int i) {
        VM_OBJECT_ASSERT_WLOCKED(object);
        object.kernel.KASSERT(object.paging_in_progress >= i,
                "vm_object_pip_wakeupn: pipcnt underflow of %s", object);
        object.paging_in_progress -= i;
        if (object.paging_in_progress == 0) {
            object.kernel.wakeup(object.pipChannel);
        }
    }

    /** vm_object_pip_wait: sleeps (dropping the object lock) until no paging is in progress. */
    public static void vm_object_pip_wait(VmObject object, String wmesg) {
        VM_OBJECT_ASSERT_WLOCKED(object);
        while (object.paging_in_progress != 0) {
            object.kernel.msleep(object.pipChannel, object.lock, false, wmesg, 0, null);
        }
    }

    private final Object pipChannel = new Object();

    // ------------------------------------------------------------------ shadowing

    /**
     * vm_object_shadow: a new anonymous object in front of {@code source} at byte {@code offset},
     * taking over the caller's reference to {@code source}.
     */
    public static VmObject vm_object_shadow(VmObject source, long offset, long length) {
        VmObject result = vm_object_allocate(source.kernel, OBJT_DEFAULT, length);
        result.backing_object = source;
        result.backing_object_offset = offset;
        VM_OBJECT_WLOCK(source);
        source.shadow_head.add(result);
        source.shadow_count++;
        VM_OBJECT_WUNLOCK(source);
        return result;
    }

    /** vm_object_destroy: the object's storage goes away (it must be dead, unreferenced). */
    public static void vm_object_destroy(VmObject object) {
        object.kernel.KASSERT(object.resident_page_count == 0,
                "vm_object_destroy: object %s has %d resident pages", object, object.resident_page_count);
        object.type = OBJT_DEAD;
    }
}
