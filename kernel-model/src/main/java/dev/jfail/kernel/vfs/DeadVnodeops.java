package dev.jfail.kernel.vfs;

import dev.jfail.kernel.kern.Errno;
import dev.jfail.kernel.vm.VmPager;

/**
 * fs/deadfs/dead_vnops.c: the operations of a reclaimed (VBAD) vnode. Reads and writes fail;
 * there is no strategy, so a buffer sent to a dead vnode meets vop_nostrategy.
 */
public final class DeadVnodeops {

    public static final VopVector dead_vnodeops = new VopVector("dead", DefaultVnodeops.default_vnodeops);

    static {
        dead_vnodeops.vop_getpages = (vp, ma, count, rbehind, rahead) -> VmPager.VM_PAGER_ERROR;
        dead_vnodeops.vop_write = (vp, off, ma, count) -> Errno.EIO;
        dead_vnodeops.vop_bmap = (vp, bn, bnp, runp, runb) -> Errno.EIO;
    }

    private DeadVnodeops() {
    }
}
