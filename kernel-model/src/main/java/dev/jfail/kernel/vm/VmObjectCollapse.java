package dev.jfail.kernel.vm;

import dev.jfail.FailPoint;
import dev.jfail.kernel.kern.Kernel;
import dev.jfail.kernel.kern.KernelPanic;

import java.util.Map;

import static dev.jfail.kernel.vm.VmObject.*;
import static dev.jfail.kernel.vm.VmPage.*;

/**
 * vm/vm_object.c as of FreeBSD head in November 2015 (D4103): vm_object_deallocate, which
 * collapses an anonymous object into its only shadow when its last other reference goes, vm_object_collapse, and
 * vm_object_backing_scan, which moves the backing object's pages into the parent.
 *
 * <p>In the OBSC_COLLAPSE_WAIT scan, when vm_page_rename fails (no radix node), the scan drops
 * both object locks, waits for memory (VM_WAIT) and restarts. Meanwhile vm_fault may leave a busy,
 * invalid placeholder in the parent. The 2015 code took any parent page as shadowing the backing
 * page and freed the backing page, mapped or not: "freeing mapped page". The fix, patch "r291576"
 * (the commit's name, from FreeBSD's later history, not the report; D4103's summary asks for its
 * first part): a busy parent page is waited for and the scan restarts
 * (vm_object_backing_scan_wait); a parent page must then be valid
 * (r291576's {@code KASSERT(pp == NULL || pp->valid != 0, ...)}, a check of the model's here); and the
 * OBSC_COLLAPSE_NOWAIT scan no longer frees the backing page's swap when the parent page is invalid.
 */
public final class VmObjectCollapse {
    public static final int OBSC_TEST_ALL_SHADOWED = 0x0001;
    public static final int OBSC_COLLAPSE_NOWAIT = 0x0002;
    public static final int OBSC_COLLAPSE_WAIT = 0x0004;

    /** The fix's commit (from FreeBSD's later history, not the report), as a patch name of {@link Kernel.Config#patched}. */
    public static final String R291576 = "r291576";

    private VmObjectCollapse() {
    }

    private static boolean anonymous(VmObject o) {
        return o.handle == null && (o.type == OBJT_DEFAULT || o.type == OBJT_SWAP);
    }

    /**
     * vm_object_deallocate: drops a reference. When an anonymous object is left with one reference
     * and one shadow, it is collapsed into that shadow (after waiting out its paging).
     */
    public static void vm_object_deallocate(VmObject object) {
        while (object != null) {
            Kernel k = object.kernel();
            VM_OBJECT_WLOCK(object);
            if (object.ref_count > 1) {
                object.ref_count--;
                if (object.ref_count == 1 && object.shadow_count == 1 && anonymous(object)) {
                    VmObject robject = object.shadow_head.get(0);
                    if (!VM_OBJECT_TRYWLOCK(robject)) {
                        // avoid a lock order reversal: the shadow's lock comes first
                        object.ref_count++;
                        VM_OBJECT_WUNLOCK(object);
                        k.pause("vmo_de", 1);
                        continue;
                    }
                    if ((robject.flags & OBJ_DEAD) == 0 && anonymous(robject)) {
                        robject.ref_count++;
                        if (!waitForPaging(object, robject)) {
                            object = robject;
                            continue;
                        }
                        vm_object_collapse(robject);
                        VM_OBJECT_WUNLOCK(robject);
                        object = robject; // drop the reference taken above
                        continue;
                    }
                    VM_OBJECT_WUNLOCK(robject);
                }
                VM_OBJECT_WUNLOCK(object);
                return;
            }
            object.ref_count = 0;
            VM_OBJECT_WUNLOCK(object);
            return;
        }
    }

    /**
     * The retry: loop of vm_object_deallocate: waits until neither object pages ("objde1",
     * "objde2"). Returns with only robject locked, true if robject still shadows object.
     */
    private static boolean waitForPaging(VmObject object, VmObject robject) {
        while (true) {
            if (robject.paging_in_progress != 0) {
                VM_OBJECT_WUNLOCK(object);
                vm_object_pip_wait(robject, "objde1");
            } else if (object.paging_in_progress != 0) {
                VM_OBJECT_WUNLOCK(robject);
                vm_object_pip_wait(object, "objde2");
                VM_OBJECT_WUNLOCK(object);
                VM_OBJECT_WLOCK(robject);
            } else {
                VM_OBJECT_WUNLOCK(object);
                return true;
            }
            if (robject.backing_object != object) {
                VM_OBJECT_WUNLOCK(robject);
                return false;
            }
            VM_OBJECT_WLOCK(object);
        }
    }

    /**
     * vm_object_collapse: with {@code object} locked, collapses its backing object into it when
     * the object is its backing object's only reference.
     */
    public static void vm_object_collapse(VmObject object) {
        VM_OBJECT_ASSERT_WLOCKED(object);
        Kernel k = object.kernel();
        while (true) {
            VmObject backing_object = object.backing_object;
            if (backing_object == null) {
                break;
            }
            VM_OBJECT_WLOCK(backing_object);
            if (!anonymous(backing_object) || (backing_object.flags & OBJ_DEAD) != 0
                    || !anonymous(object) || (object.flags & OBJ_DEAD) != 0) {
                VM_OBJECT_WUNLOCK(backing_object);
                break;
            }
            if (object.paging_in_progress != 0 || backing_object.paging_in_progress != 0) {
                VM_OBJECT_WUNLOCK(backing_object);
                break;
            }
            if (backing_object.ref_count != 1) {
                // the bypass of a backing object shared with others is not modelled
                VM_OBJECT_WUNLOCK(backing_object);
                break;
            }
            vm_object_pip_add(object, 1);
            vm_object_pip_add(backing_object, 1);
            vm_object_backing_scan(object, OBSC_COLLAPSE_WAIT);
            if (backing_object.type == OBJT_SWAP) {
                SwapPager.swap_pager_copy(backing_object, object, OFF_TO_IDX(object.backing_object_offset), true);
            }
            // object now shadows whatever backing_object did
            VmObject next = backing_object.backing_object;
            if (next != null) {
                VM_OBJECT_WLOCK(next);
                next.shadow_head.remove(backing_object);
                next.shadow_head.add(object);
                VM_OBJECT_WUNLOCK(next);
            }
            backing_object.shadow_head.remove(object);
            backing_object.shadow_count--;
            object.backing_object = next;
            object.backing_object_offset += backing_object.backing_object_offset;
            k.KASSERT(backing_object.ref_count == 1,
                    "backing_object %s was somehow re-referenced during collapse!", backing_object);
            vm_object_pip_wakeup(backing_object);
            backing_object.type = OBJT_DEAD;
            backing_object.ref_count = 0;
            VM_OBJECT_WUNLOCK(backing_object);
            vm_object_destroy(backing_object);
            vm_object_pip_wakeup(object);
        }
    }

    /**
     * vm_object_backing_scan: moves (OBSC_COLLAPSE_WAIT/NOWAIT) the backing object's pages into
     * {@code object}: a page the parent already has (or has in swap) is freed, any other is
     * renamed into the parent. Both objects are locked on entry and on return.
     */
    public static void vm_object_backing_scan(VmObject object, int op) {
        Kernel k = object.kernel();
        boolean fixed = k.patched(R291576);
        VmObject backing_object = object.backing_object;
        long backing_offset_index = OFF_TO_IDX(object.backing_object_offset);
        if ((op & OBSC_COLLAPSE_WAIT) != 0) {
            k.KASSERT((backing_object.flags & OBJ_DEAD) == 0, "Collapse dead object %s", backing_object);
            vm_object_set_flag(backing_object, OBJ_DEAD);
        }
        VmPage p = first(backing_object);
        while (p != null) {
            VmPage next = after(backing_object, p);
            long new_pindex = p.pindex - backing_offset_index;
            if ((op & OBSC_COLLAPSE_NOWAIT) != 0) {
                if (p.valid == 0 || vm_page_busied(p)) {
                    p = next;
                    continue;
                }
            } else if (vm_page_busied(p)) {
                // OBSC_COLLAPSE_WAIT: wait for the page, then restart the scan
                VM_OBJECT_WUNLOCK(object);
                vm_page_busy_sleep(p, "vmocol", false);
                VM_OBJECT_WLOCK(object);
                VM_OBJECT_WLOCK(backing_object);
                p = first(backing_object);
                continue;
            }
            if (p.pindex < backing_offset_index || new_pindex >= object.size) {
                // outside the parent: nobody can see it
                if (backing_object.type == OBJT_SWAP) {
                    SwapPager.swap_pager_freespace(backing_object, p.pindex, 1);
                }
                k.KASSERT(!Pmap.pmap_page_is_mapped(p), "freeing mapped page %s", p);
                vm_page_free(p);
                p = next;
                continue;
            }
            VmPage pp = vm_page_lookup(object, new_pindex);
            if (fixed && pp != null && vm_page_busied(pp)) {
                p = vm_object_backing_scan_wait(object, pp, next, op);
                continue;
            }
            if (fixed && k.invariants()) {
                // r291576's KASSERT(pp == NULL || pp->valid != 0, ("unbusy invalid page %p", pp)): its text
                // is from FreeBSD's later history, not the report, so the model says it as its own check
                k.modelCheck(pp == null || pp.valid != 0, "a parent page not busy is valid (r291576's KASSERT), %s", pp);
            }
            if ((op & OBSC_COLLAPSE_NOWAIT) != 0 && pp != null && pp.valid == 0) {
                // the parent page is not valid yet: leave the backing page (and, fixed, its swap)
                if (!fixed && backing_object.type == OBJT_SWAP) {
                    SwapPager.swap_pager_freespace(backing_object, p.pindex, 1);
                }
                p = next;
                continue;
            }
            if (pp != null || VmPager.vm_pager_has_page(object, new_pindex, null, null)) {
                // the parent has the page (or its swap): the backing page is shadowed, free it
                if (backing_object.type == OBJT_SWAP) {
                    SwapPager.swap_pager_freespace(backing_object, p.pindex, 1);
                }
                k.KASSERT(!Pmap.pmap_page_is_mapped(p), "freeing mapped page %s", p);
                if (p.wire_count == 0) {
                    vm_page_free(p);
                } else {
                    vm_page_remove(p);
                }
                p = next;
                continue;
            }
            // the parent lacks the page: rename it into the parent (it may stay mapped). As in cem's
            // patch, the failpoint is evaluated on every rename and takes effect only in a WAIT scan.
            boolean rename_unlock = vmob_scan_rename_unlock(k);
            boolean renameFailed = (rename_unlock && (op & OBSC_COLLAPSE_NOWAIT) == 0)
                    || vm_page_rename(p, object, new_pindex);
            if (renameFailed) {
                if ((op & OBSC_COLLAPSE_NOWAIT) != 0) {
                    p = next;
                    continue;
                }
                VM_OBJECT_WUNLOCK(backing_object);
                VM_OBJECT_WUNLOCK(object);
                VmPageout.vm_wait(k);
                VM_OBJECT_WLOCK(object);
                VM_OBJECT_WLOCK(backing_object);
                p = first(backing_object);
                continue;
            }
            if (backing_object.type == OBJT_SWAP) {
                SwapPager.swap_pager_freespace(backing_object, new_pindex + backing_offset_index, 1);
            }
            p = next;
        }
    }

    /**
     * vm_object_backing_scan_wait (named as in r291576, from FreeBSD's later history; D4103's summary
     * asks for the wait: "drain the busy status of the invalid parent page, and try again from the
     * top"): the parent page is busy; NOWAIT skips it, WAIT sleeps
     * until its owner is done with it and restarts the scan.
     */
    private static VmPage vm_object_backing_scan_wait(VmObject object, VmPage pp, VmPage next, int op) {
        VmObject backing_object = object.backing_object;
        if ((op & OBSC_COLLAPSE_NOWAIT) != 0) {
            return next;
        }
        VM_OBJECT_WUNLOCK(backing_object);
        vm_page_busy_sleep(pp, "vmocol", false);
        VM_OBJECT_WLOCK(object);
        VM_OBJECT_WLOCK(backing_object);
        return first(backing_object);
    }

    private static VmPage first(VmObject o) {
        Map.Entry<Long, VmPage> e = o.memq.firstEntry();
        return e == null ? null : e.getValue();
    }

    private static VmPage after(VmObject o, VmPage p) {
        Map.Entry<Long, VmPage> e = o.memq.higherEntry(p.pindex);
        return e == null ? null : e.getValue();
    }

    /**
     * Failpoint, evaluated before every vm_page_rename: {@code return(1)} makes the rename fail in
     * a WAIT scan (as a failed radix node allocation does), so the scan drops both locks, waits and
     * restarts; a NOWAIT scan ignores it, as in cem's patch.
     */
    @FailPoint(value = "vmob_scan_rename_unlock", panic = KernelPanic.class)
    static boolean vmob_scan_rename_unlock(Kernel k) {
        return false;
    }
}
