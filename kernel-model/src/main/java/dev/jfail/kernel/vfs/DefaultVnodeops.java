package dev.jfail.kernel.vfs;

import dev.jfail.kernel.buf.Buf;
import dev.jfail.kernel.buf.VfsBio;
import dev.jfail.kernel.kern.Errno;
import dev.jfail.kernel.vm.VmPage;
import dev.jfail.kernel.vm.VmPager;

/**
 * kern/vfs_default.c: default_vnodeops, what every vector falls back to.
 * {@code vop_nostrategy} is what a vnode without a strategy (a dead one) does with a buffer.
 */
public final class DefaultVnodeops {

    public static final VopVector default_vnodeops = new VopVector("default", null);

    static {
        default_vnodeops.vop_strategy = DefaultVnodeops::vop_nostrategy;
        default_vnodeops.vop_getpages = DefaultVnodeops::vop_stdgetpages;
        default_vnodeops.vop_getpages_async = DefaultVnodeops::vop_stdgetpages_async;
        default_vnodeops.vop_bmap = DefaultVnodeops::vop_stdbmap;
        default_vnodeops.vop_inactive = vp -> 0;
        default_vnodeops.vop_reclaim = vp -> 0;
        default_vnodeops.vop_write = (vp, off, ma, count) -> Errno.EOPNOTSUPP;
    }

    private DefaultVnodeops() {
    }

    /** vop_nostrategy: "No strategy for buffer", the vnode dump, and the buffer fails with EOPNOTSUPP. */
    public static int vop_nostrategy(Vnode vp, Buf bp) {
        vp.kernel().printf("No strategy for buffer at %s", bp);
        VfsSubr.vn_printf(vp, "vnode ");
        bp.b_ioflags |= Buf.BIO_ERROR;
        bp.b_error = Errno.EOPNOTSUPP;
        VfsBio.bufdone(bp);
        return Errno.EOPNOTSUPP;
    }

    /** vop_stdgetpages: the generic vnode pager path is not modelled; filesystems that page in override it. */
    public static int vop_stdgetpages(Vnode vp, VmPage[] ma, int count, int[] rbehind, int[] rahead) {
        return VmPager.VM_PAGER_ERROR;
    }

    /** vop_stdgetpages_async: the synchronous getpages, then the completion, in the caller's thread. */
    public static int vop_stdgetpages_async(Vnode vp, VmPage[] ma, int count, int[] rbehind, int[] rahead,
                                            VopVector.GetpagesIodone iodone, Object arg) {
        int error = Vop.VOP_GETPAGES(vp, ma, count, rbehind, rahead);
        iodone.iodone(arg, ma, count, error);
        return error;
    }

    /** vop_stdbmap: logical block n is device block n, with no contiguous run known. */
    public static int vop_stdbmap(Vnode vp, long bn, long[] bnp, int[] runp, int[] runb) {
        if (bnp != null) {
            bnp[0] = bn;
        }
        if (runp != null) {
            runp[0] = 0;
        }
        if (runb != null) {
            runb[0] = 0;
        }
        return 0;
    }
}
