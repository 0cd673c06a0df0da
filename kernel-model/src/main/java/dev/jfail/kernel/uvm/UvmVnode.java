package dev.jfail.kernel.uvm;

import dev.jfail.kernel.vfs.ObsdVfsSubr;

import dev.jfail.FailPoint;
import dev.jfail.kernel.kern.Kernel;
import dev.jfail.kernel.kern.KernelPanic;
import dev.jfail.kernel.vfs.VfsSubr;
import dev.jfail.kernel.vfs.Vnode;
import dev.jfail.kernel.vfs.Vop;
import dev.jfail.kernel.vm.VmObject;
import dev.jfail.kernel.vm.VmPage;
import dev.jfail.kernel.vm.VmPageout;
import dev.jfail.kernel.vm.VmPager;

import java.util.IdentityHashMap;
import java.util.Map;

import static dev.jfail.kernel.kern.SleepLock.LK_EXCLUSIVE;
import static dev.jfail.kernel.kern.SleepLock.LK_NOWAIT;

/**
 * struct uvm_vnode and the vnode pager (OpenBSD sys/uvm/uvm_vnode.c, 2022): the VM object of a
 * vnode ({@code u_obj}: a vm object whose lock is the vmobjlock, whose ref_count is uo_refs),
 * attach and detach (a persisting object keeps its pages after its last reference goes, with the
 * vnode on the free list), flush, put and the I/O, and uvm_vnp_terminate when the vnode is
 * recycled.
 *
 * <p>uvn_put is where the history of the race is: the original takes no reference on the vnode
 * for the pageout, so the write reaches ffs_write with whatever v_usecount the vnode has, and
 * ffs_write's uvm_vnp_uncache takes a vref ({@code vref used where vget required} when the last
 * close came first); Kettenis's diff takes vget(LK_NOWAIT) with VM_PAGER_AGAIN on failure (which
 * the recycler's own flush cannot get past); the fix, as Kettenis suggests, skips the vget when the
 * uvn is UVM_VNODE_DYING (named after uvm_vnode.c 1.132, the commit: from OpenBSD's later history,
 * not the thread).
 */
public final class UvmVnode {
    // u_flags (uvm_vnode.h)
    public static final int UVM_VNODE_VALID = 0x001;
    public static final int UVM_VNODE_CANPERSIST = 0x002;
    public static final int UVM_VNODE_ALOCK = 0x004;
    public static final int UVM_VNODE_DYING = 0x008;
    public static final int UVM_VNODE_RELKILL = 0x010;
    public static final int UVM_VNODE_WANTED = 0x020;
    public static final int UVM_VNODE_VNISLOCKED = 0x040;
    public static final int UVM_VNODE_IOSYNC = 0x080;
    public static final int UVM_VNODE_IOSYNCWANTED = 0x100;
    public static final int UVM_VNODE_WRITEABLE = 0x200;
    // pager flags (uvm_pager.h)
    public static final int PGO_CLEANIT = 0x001;
    public static final int PGO_SYNCIO = 0x002;
    public static final int PGO_DEACTIVATE = 0x004;
    public static final int PGO_FREE = 0x008;
    public static final int PGO_ALLPAGES = 0x010;
    public static final int PGO_PDFREECLUST = 0x080;
    static final int UIO_WRITE = 1;

    /** UVM_VNODE_BLOCKED: attaches and uncaches wait or give up. */
    public static final int UVM_VNODE_BLOCKED = UVM_VNODE_ALOCK | UVM_VNODE_DYING | UVM_VNODE_RELKILL;

    /** The attempts at uvn_put, by the patch a kernel of the model carries. */
    public static final String UVN_PUT_VGET_NOWAIT = "uvn_put: vget(LK_NOWAIT)";
    public static final String UVM_VNODE_1_132 = "uvm_vnode.c 1.132";

    public final VmObject u_obj;
    public final Vnode u_vnode;
    /** Guarded by u_obj's lock; read by sleepers under the sched lock. */
    public volatile int u_flags;
    public volatile int u_nio;
    public long u_size;

    private UvmVnode(Vnode vp) {
        this.u_vnode = vp;
        this.u_obj = VmObject.vm_object_allocate(vp.kernel(), VmObject.OBJT_VNODE, 0);
        this.u_obj.handle = vp;
        this.u_obj.ref_count = 0;
    }

    /** vp->v_uvm of each vnode, per kernel. */
    static final class Uvns {
        final Map<Vnode, UvmVnode> v_uvm = new IdentityHashMap<>();
    }

    /** vp->v_uvm. */
    public static UvmVnode v_uvm(Vnode vp) {
        Uvns uvns = vp.kernel().subsystem(Uvns.class, k -> new Uvns());
        synchronized (uvns) {
            return uvns.v_uvm.computeIfAbsent(vp, UvmVnode::new);
        }
    }

    /** The uvm_vnode whose u_obj {@code uobj} is. */
    static UvmVnode uvn(VmObject uobj) {
        return v_uvm((Vnode) uobj.handle);
    }

    private static Kernel kernel(UvmVnode uvn) {
        return uvn.u_vnode.kernel();
    }

    // ------------------------------------------------------------------ attach / detach

    /**
     * uvn_attach: a mapping of the vnode; the first one makes the object valid (persisting allowed)
     * and takes a vnode reference, which stays while there is a mapping.
     */
    public static VmObject uvn_attach(Vnode vp, long size) {
        UvmVnode uvn = v_uvm(vp);
        Kernel k = vp.kernel();
        KernelLock.lock(k, uvn.u_obj.lock);
        try {
            if ((uvn.u_flags & UVM_VNODE_VALID) != 0) {
                if (uvn.u_obj.ref_count == 0) {
                    VfsSubr.vref(vp);
                }
                uvn.u_obj.ref_count++;
                return uvn.u_obj;
            }
            uvn.u_flags = UVM_VNODE_VALID | UVM_VNODE_CANPERSIST | UVM_VNODE_WRITEABLE;
            uvn.u_nio = 0;
            uvn.u_size = size;
            uvn.u_obj.ref_count = 1;
            VfsSubr.vref(vp);
            return uvn.u_obj;
        } finally {
            uvn.u_obj.lock.unlock();
        }
    }

    /**
     * uvn_detach: the last mapping gone, a persisting object keeps its pages (deactivated, dirty
     * or not) and drops its vnode reference: the vnode may go to the free list with dirty pages.
     */
    public static void uvn_detach(VmObject uobj) {
        UvmVnode uvn = uvn(uobj);
        Kernel k = kernel(uvn);
        KernelLock.lock(k, uobj.lock);
        uobj.ref_count--;
        if (uobj.ref_count > 0) {
            uobj.lock.unlock();
            return;
        }
        Vnode vp = uvn.u_vnode;
        if ((uvn.u_flags & UVM_VNODE_CANPERSIST) != 0) {
            uvn_flush(uobj, PGO_DEACTIVATE | PGO_ALLPAGES);
            uobj.lock.unlock();
            VfsSubr.vrele(vp);
            return;
        }
        // not persisting: the object dies with its last reference
        uvn.u_flags |= UVM_VNODE_DYING;
        uvn_flush(uobj, PGO_CLEANIT | PGO_FREE | PGO_ALLPAGES);
        KernelLock.rwsleep(k, uobj.lock, null, "uvn_term", () -> uvn.u_nio == 0);
        uvn.u_flags = 0;
        uobj.lock.unlock();
        VfsSubr.vrele(vp);
    }

    // ------------------------------------------------------------------ terminate

    /**
     * uvm_vnp_terminate: vclean's hook (the caller holds VXLOCK and the vnode lock): the uvn is
     * DYING, its dirty pages are written out (uvn_flush), and it is freed.
     */
    public static void uvm_vnp_terminate(Vnode vp) {
        UvmVnode uvn = v_uvm(vp);
        Kernel k = vp.kernel();
        VmObject uobj = uvn.u_obj;
        KernelLock.lock(k, uobj.lock);
        try {
            if ((uvn.u_flags & UVM_VNODE_VALID) == 0) {
                return;
            }
            uvn.u_flags &= ~UVM_VNODE_RELKILL;
            uvn.u_flags |= UVM_VNODE_DYING | UVM_VNODE_VNISLOCKED;
            uvn_flush(uobj, PGO_CLEANIT | PGO_FREE | PGO_ALLPAGES);
            while (uobj.resident_page_count != 0 || uvn.u_nio != 0) {
                uvn.u_flags |= UVM_VNODE_IOSYNC;
                KernelLock.rwsleep(k, uobj.lock, null, "uvn_term",
                        () -> uvn.u_nio == 0 && uobj.resident_page_count == 0);
            }
            if (uobj.ref_count != 0) {
                uvn.u_flags &= ~(UVM_VNODE_DYING | UVM_VNODE_VNISLOCKED | UVM_VNODE_WANTED | UVM_VNODE_CANPERSIST);
            } else {
                uvn.u_flags = 0;
            }
        } finally {
            uobj.lock.unlock();
        }
    }

    // ------------------------------------------------------------------ flush

    /**
     * uvn_flush over every page of the object (locked): with PGO_CLEANIT a dirty page is written
     * out with uvm_pager_put — VM_PAGER_AGAIN means "retry synchronously", and AGAIN again with
     * PGO_SYNCIO is "impossible"; with PGO_FREE a clean page is freed (a busy one waited for);
     * with PGO_DEACTIVATE it goes to the inactive queue.
     */
    public static boolean uvn_flush(VmObject uobj, int flags) {
        UvmVnode uvn = uvn(uobj);
        Kernel k = kernel(uvn);
        boolean retval = true;
        long stop = (uvn.u_size + VmPage.PAGE_SIZE - 1) >>> VmPage.PAGE_SHIFT;
        for (long curoff = 0; curoff < stop; curoff++) {
            VmPage pp = VmPage.vm_page_lookup(uobj, curoff);
            if (pp == null) {
                continue;
            }
            boolean needs_clean = (flags & PGO_CLEANIT) != 0 && !VmPage.vm_page_busied(pp) && pp.dirty != 0;
            if (!needs_clean) {
                if ((flags & PGO_DEACTIVATE) != 0) {
                    VmPageout.vm_page_deactivate(pp);
                } else if ((flags & PGO_FREE) != 0) {
                    if (VmPage.vm_page_busied(pp)) {
                        VmPage busy = pp;
                        KernelLock.rwsleep(k, uobj.lock, pp, "uvn_flsh", () -> !VmPage.vm_page_busied(busy));
                        curoff--;
                        continue;
                    }
                    VmPage.vm_page_free(pp);
                }
                continue;
            }
            VmPage.vm_page_xbusy(pp);
            int result;
            while (true) {
                result = UvmPager.uvm_pager_put(uobj, pp, flags);
                if (result != VmPager.VM_PAGER_AGAIN) {
                    break;
                }
                if ((flags & PGO_SYNCIO) != 0) {
                    throw k.panic("uvn_flush: PGO_SYNCIO return 'try again' error (impossible)");
                }
                flags |= PGO_SYNCIO;
            }
            if (result == VmPager.VM_PAGER_OK) {
                pp.dirty = 0;
            }
            if (VmPage.vm_page_xbusied_by_curthread(pp)) {
                VmPage.vm_page_xunbusy(pp);
            }
            if ((flags & PGO_DEACTIVATE) != 0) {
                VmPageout.vm_page_deactivate(pp);
            } else if ((flags & PGO_FREE) != 0) {
                if (result != VmPager.VM_PAGER_OK) {
                    k.printf("uvn_flush: obj=%s, offset=0x%x.  error during pageout.", uobj,
                            pp.pindex << VmPage.PAGE_SHIFT);
                    k.printf("uvn_flush: WARNING: changes to page may be lost!");
                    retval = false;
                }
                VmPage.vm_page_free(pp);
            }
        }
        return retval;
    }

    // ------------------------------------------------------------------ put and I/O

    /**
     * uvn_put (pgo_put): writes the pages to the vnode. Object locked; the pages busy. How it holds
     * the vnode across the I/O is the history of the race (see the class comment).
     */
    static int uvn_put(VmObject uobj, VmPage[] pps, int npages, int flags) {
        UvmVnode uvn = uvn(uobj);
        Kernel k = kernel(uvn);
        Vnode vp = uvn.u_vnode;
        uobj.lock.assert_xlocked();
        boolean referenced = false;
        if (k.patched(UVM_VNODE_1_132)) {
            if ((uvn.u_flags & UVM_VNODE_DYING) == 0) {
                if (VfsSubr.vget(vp, LK_NOWAIT) != 0) {
                    return VmPager.VM_PAGER_AGAIN;
                }
                referenced = true;
            }
        } else if (k.patched(UVN_PUT_VGET_NOWAIT)) {
            if (VfsSubr.vget(vp, LK_NOWAIT) != 0) {
                return VmPager.VM_PAGER_AGAIN;
            }
            referenced = true;
        }
        int retval = uvm_vnode_lock(uvn);
        if (retval == VmPager.VM_PAGER_OK) {
            retval = uvn_io(uvn, pps, npages, flags, UIO_WRITE);
            uvm_vnode_unlock(uvn);
        }
        if (referenced) {
            VfsSubr.vrele(vp);
        }
        return retval;
    }

    /** uvm_vnode_lock: the vnode lock for the I/O, unless uvm_vnp_terminate's caller holds it (VNISLOCKED). */
    static int uvm_vnode_lock(UvmVnode uvn) {
        if ((uvn.u_flags & UVM_VNODE_VNISLOCKED) != 0) {
            return VmPager.VM_PAGER_OK;
        }
        return ObsdVfsSubr.vn_lock(uvn.u_vnode, LK_EXCLUSIVE) != 0 ? VmPager.VM_PAGER_ERROR : VmPager.VM_PAGER_OK;
    }

    static void uvm_vnode_unlock(UvmVnode uvn) {
        if ((uvn.u_flags & UVM_VNODE_VNISLOCKED) == 0) {
            VfsSubr.VOP_UNLOCK(uvn.u_vnode);
        }
    }

    /**
     * uvn_io: the write of the pages with VOP_WRITE, the object unlocked meanwhile (u_nio counts
     * the I/O). OpenBSD asserts nothing here about the vnode's use count: the write goes to
     * ffs_write, whose uvm_vnp_uncache is where an unreferenced vnode panics.
     */
    static int uvn_io(UvmVnode uvn, VmPage[] pps, int npages, int flags, int rw) {
        Kernel k = kernel(uvn);
        VmObject uobj = uvn.u_obj;
        Vnode vn = uvn.u_vnode;
        long file_offset = pps[0].pindex << VmPage.PAGE_SHIFT;
        while ((uvn.u_flags & UVM_VNODE_IOSYNC) != 0) {
            if ((flags & PGO_SYNCIO) == 0) {
                return VmPager.VM_PAGER_AGAIN;
            }
            uvn.u_flags |= UVM_VNODE_IOSYNCWANTED;
            KernelLock.rwsleep(k, uobj.lock, null, "uvn_iosync", () -> (uvn.u_flags & UVM_VNODE_IOSYNC) == 0);
        }
        if (file_offset >= uvn.u_size) {
            return VmPager.VM_PAGER_BAD;
        }
        uvn.u_nio++;
        uobj.lock.unlock();
        KernelLock.failpoint(k, () -> uvn_io_unlocked(k));
        int result = Vop.VOP_WRITE(vn, file_offset, pps, npages);
        KernelLock.lock(k, uobj.lock);
        uvn.u_nio--;
        if ((uvn.u_flags & UVM_VNODE_IOSYNC) != 0 && uvn.u_nio == 0) {
            k.sched_lock();
            try {
                k.sleepq_broadcast();
            } finally {
                k.sched_unlock();
            }
        }
        return result == 0 ? VmPager.VM_PAGER_OK : VmPager.VM_PAGER_ERROR;
    }

    /** Failpoint: uvn_io has dropped the object lock and is about to write (VOP_WRITE sleeps on the disk). */
    @FailPoint(value = "uvn_io_unlocked", panic = KernelPanic.class)
    static void uvn_io_unlocked(Kernel k) {
        // a point to inject at: it does nothing itself
    }

    /**
     * uvm_vnp_uncache (called by ffs_write on every write, by unlink, ...): the object may no
     * longer persist; a persisting one (no references, uo_refs 0) is torn down, for which it first
     * takes a reference on the vnode with vref — "seems ok, even with VOP_LOCK", says the source;
     * not when v_usecount is 0: {@code panic: vref used where vget required}. Returns whether the
     * object is (about to be) gone.
     *
     * <p>The model's own (its source does not go there): the teardown itself (VOP_UNLOCK,
     * uvn_detach, vn_lock) is not run. Reached from the pagedaemon's own write, real uvn_detach's
     * flush would wait for the very page being written; the model drops the reference it took and
     * leaves the object valid but no longer persisting, to be freed at its next detach or when the
     * vnode is recycled (uvm_vnp_terminate).
     */
    public static boolean uvm_vnp_uncache(Vnode vp) {
        UvmVnode uvn = v_uvm(vp);
        Kernel k = vp.kernel();
        VmObject uobj = uvn.u_obj;
        KernelLock.lock(k, uobj.lock);
        if ((uvn.u_flags & UVM_VNODE_VALID) == 0 || (uvn.u_flags & UVM_VNODE_BLOCKED) != 0) {
            uobj.lock.unlock();
            return true;
        }
        uvn.u_flags &= ~UVM_VNODE_CANPERSIST;
        if (uobj.ref_count != 0) {
            uobj.lock.unlock();
            return false;
        }
        VfsSubr.vref(vp); // seems ok, even with VOP_LOCK
        uobj.ref_count++;
        uobj.ref_count--; // the model's own: no uvn_detach here (see above)
        uobj.lock.unlock();
        VfsSubr.vrele(vp);
        return true;
    }
}
