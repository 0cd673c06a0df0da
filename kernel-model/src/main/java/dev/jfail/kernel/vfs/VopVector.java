package dev.jfail.kernel.vfs;

import dev.jfail.kernel.buf.Buf;
import dev.jfail.kernel.vm.VmPage;

/**
 * struct vop_vector: a filesystem's vnode operations, each falling back to {@link #vop_default}
 * when not set (as FreeBSD's vnode_if.c bypass does). A vector names the functions of its
 * filesystem (fuse_vnop_getpages, vop_nostrategy...), so backtraces print them.
 * Add an operation here (a field, an interface, a VOP_ macro in {@link Vop}) when a race needs it.
 */
public final class VopVector {

    public interface Strategy {
        int vop_strategy(Vnode vp, Buf bp);
    }

    public interface Getpages {
        /** Reads pages {@code ma[0..count)} in; returns a VM_PAGER_* code. */
        int vop_getpages(Vnode vp, VmPage[] ma, int count, int[] rbehind, int[] rahead);
    }

    /** The completion of an async getpages (vm_pager.h's pgo_getpages_iodone_t). */
    public interface GetpagesIodone {
        void iodone(Object arg, VmPage[] ma, int count, int error);
    }

    public interface GetpagesAsync {
        int vop_getpages_async(Vnode vp, VmPage[] ma, int count, int[] rbehind, int[] rahead,
                               GetpagesIodone iodone, Object arg);
    }

    public interface Bmap {
        /** Maps logical block {@code bn}: bnp[0] the device block, runp[0]/runb[0] contiguous blocks after/before. */
        int vop_bmap(Vnode vp, long bn, long[] bnp, int[] runp, int[] runb);
    }

    public interface Inactive {
        int vop_inactive(Vnode vp);
    }

    public interface Reclaim {
        int vop_reclaim(Vnode vp);
    }

    public interface Write {
        /** Writes {@code count} pages from {@code ma} at byte {@code offset}; an errno. */
        int vop_write(Vnode vp, long offset, VmPage[] ma, int count);
    }

    /** What the vector is, for vn_printf: "fuse", "nfs", "dead", "default". */
    public final String name;
    public final VopVector vop_default;
    public Strategy vop_strategy;
    public Getpages vop_getpages;
    public GetpagesAsync vop_getpages_async;
    public Bmap vop_bmap;
    public Inactive vop_inactive;
    public Reclaim vop_reclaim;
    public Write vop_write;

    public VopVector(String name, VopVector vop_default) {
        this.name = name;
        this.vop_default = vop_default;
    }

    @Override
    public String toString() {
        return name + "_vnodeops";
    }
}
