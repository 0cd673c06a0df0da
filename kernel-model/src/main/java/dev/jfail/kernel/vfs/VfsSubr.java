package dev.jfail.kernel.vfs;

import dev.jfail.kernel.kern.Errno;
import dev.jfail.kernel.kern.Kernel;
import dev.jfail.kernel.kern.SleepLock;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Predicate;

import static dev.jfail.kernel.vfs.Vnode.VI_LOCK;
import static dev.jfail.kernel.vfs.Vnode.VI_UNLOCK;

/**
 * kern/vfs_subr.c and vfs_vnops.c: references (vget, vref, vrele, vput, vhold, vdrop), the free
 * list, recycling (getnewvnode, vgone, vgonel), vn_lock, vn_printf. FreeBSD's behaviour, with
 * OpenBSD's where the flavor says so (vref on an unused vnode panics; vget waits for VXLOCK).
 */
public final class VfsSubr {

    /** The vnode free list and the limit of vnodes (kern.maxvnodes), per kernel. */
    static final class VnodeList {
        final Deque<Vnode> freelist = new ArrayDeque<>();
        final long maxvnodes;
        int numvnodes;

        VnodeList(Kernel k) {
            maxvnodes = k.tunable("kern.maxvnodes", Long.MAX_VALUE);
        }
    }

    private VfsSubr() {
    }

    static VnodeList vnodes(Kernel k) {
        return k.subsystem(VnodeList.class, VnodeList::new);
    }

    /**
     * getnewvnode: a new vnode for {@code mp} with the lock type {@code tag}; at kern.maxvnodes the
     * oldest free vnode is recycled first (vgonel), as vnlru/getnewvnode do.
     */
    public static Vnode getnewvnode(Kernel k, String tag, Mount mp, VopVector vops) {
        VnodeList vl = vnodes(k);
        Vnode recycle = null;
        synchronized (vl) {
            if (vl.numvnodes >= vl.maxvnodes) {
                recycle = vl.freelist.pollFirst();
            } else {
                vl.numvnodes++;
            }
        }
        if (recycle != null) {
            vgone(recycle);
        }
        Vnode vp = new Vnode(k, tag, Vnode.VNON, vops, mp);
        vp.v_usecount = 1;
        vp.v_holdcnt = 1;
        return vp;
    }

    /** The vnodes on the free list, oldest first. */
    public static List<Vnode> freelist(Kernel k) {
        VnodeList vl = vnodes(k);
        synchronized (vl) {
            return new ArrayList<>(vl.freelist);
        }
    }

    /**
     * The first vnode on the free list that {@code pick} accepts, taken off the list (OpenBSD's
     * getnewvnode takes the first one not locked); null if there is none.
     */
    public static Vnode freelist_remove_first(Kernel k, Predicate<Vnode> pick) {
        VnodeList vl = vnodes(k);
        while (true) {
            Vnode candidate = null;
            synchronized (vl) {
                for (Vnode vp : vl.freelist) {
                    if (pick.test(vp)) {
                        candidate = vp;
                        break;
                    }
                }
            }
            if (candidate == null) {
                return null;
            }
            VI_LOCK(candidate);
            try {
                if ((candidate.v_iflag & Vnode.VI_FREE) != 0 && pick.test(candidate)) {
                    leaveFreelist(candidate);
                    return candidate;
                }
            } finally {
                VI_UNLOCK(candidate);
            }
        }
    }

    /** vhold: a hold reference (the vnode stays allocated, not recycled). */
    public static void vhold(Vnode vp) {
        VI_LOCK(vp);
        vp.v_holdcnt++;
        leaveFreelist(vp);
        VI_UNLOCK(vp);
    }

    /** vdrop: drops a hold reference; an unused vnode with no holds goes on the free list. */
    public static void vdrop(Vnode vp) {
        VI_LOCK(vp);
        vp.kernel().KASSERT(vp.v_holdcnt > 0, "vdrop: holdcnt %d", vp.v_holdcnt);
        vp.v_holdcnt--;
        if (vp.v_holdcnt == 0 && vp.v_usecount == 0) {
            enterFreelist(vp);
        }
        VI_UNLOCK(vp);
    }

    /**
     * vref: a use reference on a vnode already in use. OpenBSD requires v_usecount > 0
     * ({@code panic: vref used where vget required}).
     */
    public static void vref(Vnode vp) {
        Kernel k = vp.kernel();
        VI_LOCK(vp);
        if (k.flavor() == Kernel.Flavor.OPENBSD && vp.v_usecount == 0) {
            VI_UNLOCK(vp);
            k.panic("vref used where vget required");
        }
        vp.v_usecount++;
        vp.v_holdcnt++;
        leaveFreelist(vp);
        VI_UNLOCK(vp);
    }

    /**
     * vget: a use reference, locking the vnode as {@code flags} asks (0: no lock). A vnode being
     * cleaned (VXLOCK) makes it fail: EBUSY with LK_NOWAIT, else ENOENT after waiting for the
     * clean to finish. A doomed vnode fails with ENOENT unless LK_RETRY.
     */
    public static int vget(Vnode vp, int flags) {
        Kernel k = vp.kernel();
        VI_LOCK(vp);
        if ((vp.v_flag & Vnode.VXLOCK) != 0) {
            if ((flags & SleepLock.LK_NOWAIT) != 0) {
                VI_UNLOCK(vp);
                return Errno.EBUSY;
            }
            vp.v_flag |= Vnode.VXWANT;
            while ((vp.v_flag & Vnode.VXLOCK) != 0) {
                k.msleep(vp.vxlockChannel(), vp.v_interlock, false, "vget", 0, null);
            }
            VI_UNLOCK(vp);
            return Errno.ENOENT;
        }
        vp.v_usecount++;
        vp.v_holdcnt++;
        leaveFreelist(vp);
        VI_UNLOCK(vp);
        if ((flags & SleepLock.LK_TYPE_MASK) != 0) {
            int error = vn_lock(vp, flags);
            if (error != 0) {
                vrele(vp);
                return error;
            }
        }
        return 0;
    }

    /** vrele: drops a use reference; the last one inactivates the vnode and frees it to the list. */
    public static void vrele(Vnode vp) {
        Kernel k = vp.kernel();
        VI_LOCK(vp);
        k.KASSERT(vp.v_usecount > 0, "vrele: negative ref cnt, vnode %s", vp);
        vp.v_usecount--;
        vp.v_holdcnt--;
        boolean last = vp.v_usecount == 0;
        VI_UNLOCK(vp);
        if (last) {
            if (!Vnode.VN_IS_DOOMED(vp)) {
                Vop.VOP_INACTIVE(vp);
            }
            VI_LOCK(vp);
            if (vp.v_usecount == 0 && vp.v_holdcnt == 0) {
                enterFreelist(vp);
            }
            VI_UNLOCK(vp);
        }
    }

    /** vput: VOP_UNLOCK then vrele. */
    public static void vput(Vnode vp) {
        VOP_UNLOCK(vp);
        vrele(vp);
    }

    /**
     * vn_lock: locks the vnode ({@code LK_SHARED}/{@code LK_EXCLUSIVE}, maybe {@code LK_NOWAIT}).
     * A doomed vnode is returned unlocked with ENOENT unless {@code LK_RETRY}.
     */
    public static int vn_lock(Vnode vp, int flags) {
        int error = vp.v_lock.lockmgr(flags & ~SleepLock.LK_RETRY);
        if (error != 0) {
            return error;
        }
        if (Vnode.VN_IS_DOOMED(vp) && (flags & SleepLock.LK_RETRY) == 0) {
            vp.v_lock.unlock();
            return Errno.ENOENT;
        }
        return 0;
    }

    public static void VOP_UNLOCK(Vnode vp) {
        vp.v_lock.unlock();
    }

    /** vgone: reclaims the vnode now (the caller holds no lock on it). */
    public static void vgone(Vnode vp) {
        vp.v_lock.xlock();
        try {
            vgonel(vp);
        } finally {
            vp.v_lock.unlock();
        }
    }

    /**
     * vgonel (FreeBSD): with the vnode locked, dooms it: VIRF_DOOMED, the filesystem reclaims its
     * node (VOP_RECLAIM), and from now on it is a VBAD vnode with the dead vnode operations.
     */
    public static void vgonel(Vnode vp) {
        VI_LOCK(vp);
        if (Vnode.VN_IS_DOOMED(vp)) {
            VI_UNLOCK(vp);
            return;
        }
        vp.v_iflag |= Vnode.VIRF_DOOMED;
        VI_UNLOCK(vp);
        Vop.VOP_RECLAIM(vp);
        VI_LOCK(vp);
        vp.v_op = DeadVnodeops.dead_vnodeops;
        vp.v_type = Vnode.VBAD;
        vp.v_data = null;
        VI_UNLOCK(vp);
    }

    /** vn_printf: the vnode dump the kernel prints when something is wrong with a vnode. */
    public static void vn_printf(Vnode vp, String prefix) {
        List<String> flags = new ArrayList<>();
        if ((vp.v_iflag & Vnode.VIRF_DOOMED) != 0) {
            flags.add("VIRF_DOOMED");
        }
        if ((vp.v_iflag & Vnode.VI_FREE) != 0) {
            flags.add("VI_FREE");
        }
        if ((vp.v_vflag & Vnode.VV_ROOT) != 0) {
            flags.add("VV_ROOT");
        }
        if ((vp.v_vflag & Vnode.VV_VMSIZEVNLOCK) != 0) {
            flags.add("VV_VMSIZEVNLOCK");
        }
        if ((vp.v_flag & Vnode.VXLOCK) != 0) {
            flags.add("VXLOCK");
        }
        if ((vp.v_flag & Vnode.VXWANT) != 0) {
            flags.add("VXWANT");
        }
        Kernel k = vp.kernel();
        k.printf("%s%s: type %s", prefix, vp, Vnode.TYPENAME[vp.v_type]);
        k.printf("    usecount %d, writecount %d, refcount %d seqc users 1", vp.v_usecount, vp.v_writecount,
                vp.v_holdcnt);
        k.printf("    hold count flags ()");
        k.printf("    flags (%s)", String.join("|", flags));
        k.printf("    lock type %s: %s", vp.v_lock.name(), vp.v_lock.status());
    }

    private static void enterFreelist(Vnode vp) {
        if ((vp.v_iflag & Vnode.VI_FREE) != 0) {
            return;
        }
        vp.v_iflag |= Vnode.VI_FREE;
        VnodeList vl = vnodes(vp.kernel());
        synchronized (vl) {
            vl.freelist.addLast(vp);
        }
    }

    private static void leaveFreelist(Vnode vp) {
        if ((vp.v_iflag & Vnode.VI_FREE) == 0) {
            return;
        }
        vp.v_iflag &= ~Vnode.VI_FREE;
        VnodeList vl = vnodes(vp.kernel());
        synchronized (vl) {
            vl.freelist.remove(vp);
        }
    }
}
