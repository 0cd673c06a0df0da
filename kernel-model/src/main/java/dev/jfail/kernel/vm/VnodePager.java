package dev.jfail.kernel.vm;

import dev.jfail.kernel.vfs.Vnode;
import dev.jfail.kernel.vfs.Vop;
import dev.jfail.kernel.vfs.VopVector;

/**
 * vm/vnode_pager.c: the pager of a file's object. {@code vnode_pager_haspage} asks the filesystem
 * (VOP_BMAP) how far the run of contiguous blocks around a page goes.
 */
public final class VnodePager {

    private VnodePager() {
    }

    /** vnode_pager_haspage: pages of the file are always there; before/after from the block map. */
    public static boolean vnode_pager_haspage(VmObject object, long pindex, int[] before, int[] after) {
        Vnode vp = (Vnode) object.handle;
        if (vp == null || Vnode.VN_IS_DOOMED(vp)) {
            return false;
        }
        if (VmObject.IDX_TO_OFF(pindex) >= object.vnp_size) {
            return false;
        }
        int bsize = vp.v_mount.f_iosize;
        int pagesperblock = Math.max(1, bsize / VmPage.PAGE_SIZE);
        long reqblock = VmObject.IDX_TO_OFF(pindex) / bsize;
        long[] bn = new long[1];
        int[] runp = new int[1];
        int[] runb = new int[1];
        if (Vop.VOP_BMAP(vp, reqblock, bn, runp, runb) != 0) {
            return false;
        }
        int poff = (int) (pindex - reqblock * pagesperblock);
        if (before != null) {
            before[0] = runb[0] * pagesperblock + poff;
        }
        if (after != null) {
            long lastpage = (object.vnp_size - 1) >>> VmPage.PAGE_SHIFT;
            long a = (long) runp[0] * pagesperblock + pagesperblock - (poff + 1);
            after[0] = (int) Math.max(0, Math.min(a, lastpage - pindex));
        }
        return true;
    }

    /** vnode_pager_getpages_async: VOP_GETPAGES_ASYNC of the object's vnode. */
    public static int vnode_pager_getpages_async(VmObject object, VmPage[] ma, int count, int[] rbehind,
                                                 int[] rahead, VopVector.GetpagesIodone iodone, Object arg) {
        Vnode vp = (Vnode) object.handle;
        return Vop.VOP_GETPAGES_ASYNC(vp, ma, count, rbehind, rahead, iodone, arg);
    }
}
