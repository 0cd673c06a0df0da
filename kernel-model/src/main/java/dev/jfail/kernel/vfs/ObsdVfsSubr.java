package dev.jfail.kernel.vfs;

import dev.jfail.kernel.uvm.KernelLock;
import dev.jfail.kernel.uvm.UvmVnode;

import dev.jfail.FailPoint;
import dev.jfail.kernel.kern.Errno;
import dev.jfail.kernel.kern.Kernel;
import dev.jfail.kernel.kern.KernelPanic;
import dev.jfail.kernel.kern.SleepLock;

import static dev.jfail.kernel.vfs.Vnode.VI_LOCK;
import static dev.jfail.kernel.vfs.Vnode.VI_UNLOCK;
import static dev.jfail.kernel.vfs.Vnode.VXLOCK;
import static dev.jfail.kernel.vfs.Vnode.VXWANT;

/**
 * OpenBSD's vnode recycling and locking (sys/kern/vfs_subr.c: getnewvnode, vgonel, vclean;
 * vfs_vnops.c: vn_lock), on the shared vnode (use counts, the free list, vget and vref are the
 * substrate's, which knows OpenBSD's rules). vclean marks the vnode VXLOCK for as long as it
 * cleans it: vget fails meanwhile (EBUSY with LK_NOWAIT) and vn_lock waits, then fails.
 */
public final class ObsdVfsSubr {
    /** kern.maxvnodes: with this many vnodes, getnewvnode recycles the first free one. */
    public static final String MAXVNODES = "kern.maxvnodes";

    /** numvnodes and kern.maxvnodes, per kernel. */
    static final class Vnodes {
        long maxvnodes;
        int numvnodes;

        Vnodes(Kernel k) {
            maxvnodes = k.tunable(MAXVNODES, Long.MAX_VALUE);
        }
    }

    private ObsdVfsSubr() {
    }

    static Vnodes vnodes(Kernel k) {
        return k.subsystem(Vnodes.class, Vnodes::new);
    }

    /** sysctl kern.maxvnodes={@code n}. */
    public static void set_maxvnodes(Kernel k, long n) {
        Vnodes vn = vnodes(k);
        synchronized (vn) {
            vn.maxvnodes = n;
        }
    }

    /**
     * getnewvnode: below kern.maxvnodes (or with nothing free) a new vnode; else the first free
     * vnode that nobody has locked is taken off the free list and, unless already dead, vgonel'd
     * — which writes out the pages its persisting VM object still holds. Returns it referenced.
     */
    public static Vnode getnewvnode(Kernel k, String tag, Mount mp, VopVector vops) {
        getnewvnode_pre_vgone_site(k);
        Vnodes vn = vnodes(k);
        Vnode vp = null;
        boolean recycle;
        synchronized (vn) {
            recycle = vn.numvnodes >= vn.maxvnodes;
        }
        if (recycle) {
            vp = VfsSubr.freelist_remove_first(k, v -> !v.v_lock.locked());
        }
        if (vp == null) {
            synchronized (vn) {
                vn.numvnodes++;
            }
            vp = new Vnode(k, tag, Vnode.VNON, vops, mp);
        } else {
            k.KASSERT(vp.v_usecount == 0, "free vnode isn't");
            if (vp.v_type != Vnode.VBAD) {
                vgonel(vp);
            }
            k.KASSERT(vp.v_data == null, "cleaned vnode isn't");
            VI_LOCK(vp);
            vp.v_flag = 0;
            vp.v_type = Vnode.VNON;
            vp.v_op = vops;
            vp.v_mount = mp;
            VI_UNLOCK(vp);
        }
        VI_LOCK(vp);
        vp.v_usecount = 1;
        vp.v_holdcnt = 1;
        VI_UNLOCK(vp);
        return vp;
    }

    private static void getnewvnode_pre_vgone_site(Kernel k) {
        KernelLock.failpoint(k, () -> getnewvnode_pre_vgone(k));
    }

    /** Failpoint: getnewvnode is about to take the first free vnode and vgone it. */
    @FailPoint(value = "getnewvnode_pre_vgone", panic = KernelPanic.class)
    static void getnewvnode_pre_vgone(Kernel k) {
        k.hooks().fire("getnewvnode_pre_vgone");
    }

    /** vgonel: unless a clean is under way (then wait for it), vclean and make it VBAD. */
    public static void vgonel(Vnode vp) {
        Kernel k = vp.kernel();
        if ((vp.v_flag & VXLOCK) != 0) {
            VI_LOCK(vp);
            vp.v_flag |= VXWANT;
            VI_UNLOCK(vp);
            KernelLock.sleep(k, null, "vgone", () -> (vp.v_flag & VXLOCK) == 0);
            return;
        }
        vclean(vp);
        vp.v_type = Vnode.VBAD;
    }

    /**
     * vclean: VXLOCK, then the vnode lock (LK_DRAIN: after whoever holds it), then the VM object
     * (uvm_vnp_terminate), then the filesystem's node (VOP_RECLAIM); from then on the vnode has
     * the dead operations, and VXLOCK is cleared.
     */
    static void vclean(Vnode vp) {
        Kernel k = vp.kernel();
        boolean active = vp.v_usecount != 0;
        if (active) {
            VfsSubr.vref(vp);
        }
        VI_LOCK(vp);
        if ((vp.v_flag & VXLOCK) != 0) {
            VI_UNLOCK(vp);
            throw k.panic("vclean: deadlock");
        }
        vp.v_flag |= VXLOCK;
        VI_UNLOCK(vp);
        KernelLock.failpoint(k, () -> vclean_post_vxlock(k));

        KernelLock.lock(k, vp.v_lock); // VOP_LOCK(vp, LK_EXCLUSIVE | LK_DRAIN)
        UvmVnode.uvm_vnp_terminate(vp);
        if (active) {
            Vop.VOP_INACTIVE(vp);
        }
        VfsSubr.VOP_UNLOCK(vp);
        if (Vop.VOP_RECLAIM(vp) != 0) {
            throw k.panic("vclean: cannot reclaim");
        }
        vp.v_op = DeadVnodeops.dead_vnodeops;
        if (active) {
            VfsSubr.vrele(vp);
        }
        VI_LOCK(vp);
        vp.v_flag &= ~(VXLOCK | VXWANT);
        VI_UNLOCK(vp);
    }

    /** Failpoint: vclean has set VXLOCK and is about to take the vnode lock (LK_DRAIN sleeps). */
    @FailPoint(value = "vclean_post_vxlock", panic = KernelPanic.class)
    static void vclean_post_vxlock(Kernel k) {
        k.hooks().fire("vclean_post_vxlock");
    }

    /**
     * vn_lock (OpenBSD): a vnode being cleaned (VXLOCK) is waited for and the lock fails with
     * ENOENT (retried with LK_RETRY); so does a lock that was got while a clean began.
     */
    public static int vn_lock(Vnode vp, int flags) {
        Kernel k = vp.kernel();
        int error;
        do {
            if ((vp.v_flag & VXLOCK) != 0) {
                VI_LOCK(vp);
                vp.v_flag |= VXWANT;
                VI_UNLOCK(vp);
                KernelLock.sleep(k, null, "vn_lock", () -> (vp.v_flag & VXLOCK) == 0);
                error = Errno.ENOENT;
            } else {
                KernelLock.lock(k, vp.v_lock);
                if ((vp.v_flag & VXLOCK) == 0) {
                    return 0;
                }
                error = Errno.ENOENT;
                VfsSubr.VOP_UNLOCK(vp);
            }
        } while ((flags & SleepLock.LK_RETRY) != 0);
        return error;
    }
}
