package dev.jfail.kernel.vfs;

import dev.jfail.kernel.buf.Buf;
import dev.jfail.kernel.vm.VmPage;

/**
 * The VOP_ macros of vnode_if.h and their _APV dispatch: find the operation in the vnode's vector
 * or its defaults, and call it.
 */
public final class Vop {
    private Vop() {
    }

    public static int VOP_STRATEGY(Vnode vp, Buf bp) {
        return VOP_STRATEGY_APV(vp.v_op, vp, bp);
    }

    private static int VOP_STRATEGY_APV(VopVector vop, Vnode vp, Buf bp) {
        while (vop.vop_strategy == null) {
            vop = vop.vop_default;
        }
        return vop.vop_strategy.vop_strategy(vp, bp);
    }

    public static int VOP_GETPAGES(Vnode vp, VmPage[] ma, int count, int[] rbehind, int[] rahead) {
        return VOP_GETPAGES_APV(vp.v_op, vp, ma, count, rbehind, rahead);
    }

    private static int VOP_GETPAGES_APV(VopVector vop, Vnode vp, VmPage[] ma, int count, int[] rbehind, int[] rahead) {
        while (vop.vop_getpages == null) {
            vop = vop.vop_default;
        }
        return vop.vop_getpages.vop_getpages(vp, ma, count, rbehind, rahead);
    }

    public static int VOP_GETPAGES_ASYNC(Vnode vp, VmPage[] ma, int count, int[] rbehind, int[] rahead,
                                         VopVector.GetpagesIodone iodone, Object arg) {
        return VOP_GETPAGES_ASYNC_APV(vp.v_op, vp, ma, count, rbehind, rahead, iodone, arg);
    }

    private static int VOP_GETPAGES_ASYNC_APV(VopVector vop, Vnode vp, VmPage[] ma, int count, int[] rbehind,
                                              int[] rahead, VopVector.GetpagesIodone iodone, Object arg) {
        while (vop.vop_getpages_async == null) {
            vop = vop.vop_default;
        }
        return vop.vop_getpages_async.vop_getpages_async(vp, ma, count, rbehind, rahead, iodone, arg);
    }

    public static int VOP_BMAP(Vnode vp, long bn, long[] bnp, int[] runp, int[] runb) {
        VopVector vop = vp.v_op;
        while (vop.vop_bmap == null) {
            vop = vop.vop_default;
        }
        return vop.vop_bmap.vop_bmap(vp, bn, bnp, runp, runb);
    }

    public static int VOP_INACTIVE(Vnode vp) {
        VopVector vop = vp.v_op;
        while (vop.vop_inactive == null) {
            vop = vop.vop_default;
        }
        return vop.vop_inactive.vop_inactive(vp);
    }

    public static int VOP_RECLAIM(Vnode vp) {
        VopVector vop = vp.v_op;
        while (vop.vop_reclaim == null) {
            vop = vop.vop_default;
        }
        return vop.vop_reclaim.vop_reclaim(vp);
    }

    public static int VOP_WRITE(Vnode vp, long offset, VmPage[] ma, int count) {
        VopVector vop = vp.v_op;
        while (vop.vop_write == null) {
            vop = vop.vop_default;
        }
        return vop.vop_write.vop_write(vp, offset, ma, count);
    }
}
