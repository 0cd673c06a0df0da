package dev.jfail.kernel.vm;

import dev.jfail.FailPoint;
import dev.jfail.kernel.kern.Kernel;
import dev.jfail.kernel.kern.KernelPanic;

import static dev.jfail.kernel.vm.VmObject.OBJ_DEAD;
import static dev.jfail.kernel.vm.VmObject.VM_OBJECT_WLOCK;
import static dev.jfail.kernel.vm.VmObject.VM_OBJECT_WUNLOCK;
import static dev.jfail.kernel.vm.VmObject.vm_object_pip_add;
import static dev.jfail.kernel.vm.VmObject.vm_object_pip_wakeup;
import static dev.jfail.kernel.vm.VmPage.*;

/**
 * vm/vm_fault.c as of FreeBSD head in November 2015 (D4103): vm_fault_hold walks the shadow chain from the map
 * entry's object (first_object) down its backing objects. When the page is not in first_object it
 * allocates the placeholder {@code first_m} there (exclusive-busy, invalid) before moving down; a
 * write fault on a page found in a backing object copies it up into first_m (copy-on-write). A
 * backing object found OBJ_DEAD (being collapsed) ends the fault in unlock_and_deallocate, which
 * unlocks that object and only then relocks first_object to free first_m: the window of D4103.
 */
public final class VmFault {
    public static final int KERN_SUCCESS = 0;
    public static final int KERN_PROTECTION_FAILURE = 2;
    public static final int VM_PROT_READ = 0x1;
    public static final int VM_PROT_WRITE = 0x2;

    /** struct faultstate. */
    static final class FaultState {
        VmObject object;
        long pindex;
        VmObject first_object;
        long first_pindex;
        VmPage m;
        VmPage first_m;
        VmMap map;
    }

    private VmFault() {
    }

    /** What a write of {@code delta} makes of a page that held {@code data}. */
    public static long modify(long data, long delta) {
        return data * 31 + delta;
    }

    /**
     * vm_fault_hold: resolves a fault at {@code vaddr}; a write of {@code data} modifies the page
     * ({@link #modify}).
     * Returns KERN_SUCCESS, or KERN_PROTECTION_FAILURE when it met a dead backing object.
     */
    public static int vm_fault_hold(VmMap map, long vaddr, int fault_type, long data) {
        FaultState fs = new FaultState();
        fs.map = map;
        vm_fault_hold_pre_lock(map.object.kernel());
        while (true) { // RetryFault
            fs.first_object = map.object;
            fs.first_pindex = map.pindex(vaddr);
            VM_OBJECT_WLOCK(fs.first_object);
            VmObject.vm_object_reference_locked(fs.first_object);
            vm_object_pip_add(fs.first_object, 1);
            fs.object = fs.first_object;
            fs.pindex = fs.first_pindex;
            fs.first_m = null;
            fs.m = null;
            boolean retry = false;
            while (true) {
                if ((fs.object.flags & OBJ_DEAD) != 0) {
                    unlock_and_deallocate(fs);
                    return KERN_PROTECTION_FAILURE;
                }
                fs.m = vm_page_lookup(fs.object, fs.pindex);
                if (fs.m != null) {
                    if (vm_page_busied(fs.m)) {
                        waitForBusyPage(fs);
                        retry = true;
                        break;
                    }
                    vm_page_xbusy(fs.m);
                    break;
                }
                if (fs.object == fs.first_object) {
                    fs.m = vm_page_alloc(fs.object, fs.pindex, VM_ALLOC_NORMAL);
                    if (fs.m == null) {
                        unlock_and_deallocate(fs);
                        VmPageout.vm_wait(fs.object.kernel());
                        retry = true;
                        break;
                    }
                }
                if (fs.object.type == VmObject.OBJT_SWAP && SwapPager.swap_pager_haspage(fs.object, fs.pindex, null, null)) {
                    if (!swapIn(fs)) {
                        unlock_and_deallocate(fs);
                        VmPageout.vm_wait(fs.object.kernel());
                        retry = true;
                    }
                    break;
                }
                if (fs.object == fs.first_object) {
                    fs.first_m = fs.m;
                }
                VmObject next_object = fs.object.backing_object;
                if (next_object == null) {
                    // zero-fill the placeholder in first_object
                    if (fs.object != fs.first_object) {
                        vm_object_pip_wakeup(fs.object);
                        VM_OBJECT_WUNLOCK(fs.object);
                        fs.object = fs.first_object;
                        fs.pindex = fs.first_pindex;
                        VM_OBJECT_WLOCK(fs.object);
                    }
                    fs.m = fs.first_m;
                    fs.first_m = null;
                    vm_page_valid(fs.m, 0);
                    break;
                }
                fs.object.kernel().KASSERT(fs.object != next_object, "object loop %s", next_object);
                VM_OBJECT_WLOCK(next_object);
                vm_object_pip_add(next_object, 1);
                if (fs.object != fs.first_object) {
                    vm_object_pip_wakeup(fs.object);
                }
                fs.pindex += VmObject.OFF_TO_IDX(fs.object.backing_object_offset);
                VM_OBJECT_WUNLOCK(fs.object);
                fs.object = next_object;
                fs.m = null;
            }
            if (retry) {
                continue;
            }
            // fs.m is exclusive-busy in fs.object, which is locked
            if (fs.object != fs.first_object) {
                if ((fault_type & VM_PROT_WRITE) != 0) {
                    copyOnWrite(fs);
                } else {
                    releaseFirstM(fs);
                }
            }
            if ((fault_type & VM_PROT_WRITE) != 0) {
                // the process modifies the page: what it held before matters
                fs.m.data = modify(fs.m.data, data);
                vm_page_dirty(fs.m);
            }
            Pmap.pmap_enter(map.pmap, vaddr, fs.m);
            vm_page_xunbusy(fs.m);
            vm_object_pip_wakeup(fs.object);
            VM_OBJECT_WUNLOCK(fs.object);
            VmObjectCollapse.vm_object_deallocate(fs.first_object);
            return KERN_SUCCESS;
        }
    }

    /** The page is in a backing object: copy it into first_m, which takes its place in the map. */
    private static void copyOnWrite(FaultState fs) {
        vm_page_valid(fs.first_m, fs.m.data);
        vm_page_xunbusy(fs.m);
        vm_object_pip_wakeup(fs.object);
        VM_OBJECT_WUNLOCK(fs.object);
        fs.object = fs.first_object;
        fs.pindex = fs.first_pindex;
        fs.m = fs.first_m;
        fs.first_m = null;
        VM_OBJECT_WLOCK(fs.object);
    }

    /** A read of a backing page: map it as it is, and free the unused placeholder. */
    private static void releaseFirstM(FaultState fs) {
        VmObject backing = fs.object;
        if (fs.first_m != null) {
            VM_OBJECT_WUNLOCK(backing);
            VM_OBJECT_WLOCK(fs.first_object);
            vm_page_free(fs.first_m);
            vm_object_pip_wakeup(fs.first_object);
            VM_OBJECT_WUNLOCK(fs.first_object);
            fs.first_m = null;
            VM_OBJECT_WLOCK(backing);
        }
    }

    /** A page of a swap object that swap holds: read it in (the swap pager's synchronous path). */
    private static boolean swapIn(FaultState fs) {
        if (fs.m == null) {
            fs.m = vm_page_alloc(fs.object, fs.pindex, VM_ALLOC_NORMAL);
            if (fs.m == null) {
                return false;
            }
        }
        vm_page_valid(fs.m, fs.object.swblks.get(fs.pindex).data());
        return true;
    }

    /** The page is busy: give up our placeholder, sleep until it is not, and retry the fault. */
    private static void waitForBusyPage(FaultState fs) {
        VmPage busy = fs.m;
        VmObject object = fs.object;
        vm_page_aflag_set(busy, PGA_REFERENCED);
        if (object != fs.first_object) {
            // first_object before its backing object: the lock order of the shadow chain
            VM_OBJECT_WUNLOCK(object);
            VM_OBJECT_WLOCK(fs.first_object);
            VM_OBJECT_WLOCK(object);
            vm_page_free(fs.first_m);
            vm_object_pip_wakeup(fs.first_object);
            VM_OBJECT_WUNLOCK(fs.first_object);
            fs.first_m = null;
        }
        vm_object_pip_wakeup(object);
        if (vm_page_lookup(object, fs.pindex) == busy) {
            vm_page_busy_sleep(busy, "vmpfw", false);
        } else {
            VM_OBJECT_WUNLOCK(object);
        }
        VmObjectCollapse.vm_object_deallocate(fs.first_object);
    }

    /**
     * unlock_and_deallocate: unlocks fs.object and, if that is not first_object, relocks
     * first_object to free first_m. Between the two, first_m sits in first_object busy and invalid
     * with no lock held: failpoint {@code unlock_and_deallocate_relock}.
     */
    static void unlock_and_deallocate(FaultState fs) {
        vm_object_pip_wakeup(fs.object);
        VM_OBJECT_WUNLOCK(fs.object);
        if (fs.object != fs.first_object) {
            unlock_and_deallocate_relock(fs.object.kernel());
            VM_OBJECT_WLOCK(fs.first_object);
            if (fs.first_m != null) {
                vm_page_free(fs.first_m);
            }
            vm_object_pip_wakeup(fs.first_object);
            VM_OBJECT_WUNLOCK(fs.first_object);
            fs.first_m = null;
        }
        VmObjectCollapse.vm_object_deallocate(fs.first_object);
    }

    /**
     * Failpoint (an ordering point for specs, not in FreeBSD): a fault has begun and not yet locked
     * first_object; holding it here lets a spec start a fault only once the collapse is under way.
     */
    @FailPoint(value = "vm_fault_hold_pre_lock", panic = KernelPanic.class)
    static void vm_fault_hold_pre_lock(Kernel k) {
        // a point to inject at: it does nothing itself
    }

    /** Failpoint: the fault has unlocked the dead backing object and not yet relocked first_object. */
    @FailPoint(value = "unlock_and_deallocate_relock", panic = KernelPanic.class)
    static void unlock_and_deallocate_relock(Kernel k) {
        // a point to inject at: it does nothing itself
    }
}
