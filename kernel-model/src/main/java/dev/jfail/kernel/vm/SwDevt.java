package dev.jfail.kernel.vm;

import dev.jfail.kernel.buf.Buf;
import dev.jfail.kernel.kern.Kernel;
import dev.jfail.kernel.vfs.Vnode;

import java.util.BitSet;

/**
 * struct swdevt (vm/swap_pager.h): a swap device — here a file on NFS, so its strategy is
 * swapdev_strategy and its id the vnode. Blocks {@code [sw_first, sw_end)} of swap space are
 * its, page-sized; {@code sw_blist} marks those in use.
 */
public final class SwDevt {
    /** sw_flags: swapoff is under way, no new allocations. */
    public static final int SW_CLOSING = 0x04;

    /** sw_strategy_t. */
    public interface SwStrategy {
        void sw_strategy(Buf bp, SwDevt sp);
    }

    /** sw_close_t. */
    public interface SwClose {
        void sw_close(SwDevt sp);
    }

    private final Kernel kernel;
    private final String addr;
    public volatile int sw_flags;
    public final int sw_nblks;
    public int sw_used;
    /** The vnode swapped to (VREG on NFS for swap files). */
    public final Vnode sw_vp;
    /** The I/O target: the vnode, for a file. */
    public volatile Vnode sw_id;
    public final long sw_first;
    public final long sw_end;
    final BitSet sw_blist;
    public SwStrategy sw_strategy;
    public SwClose sw_close;

    SwDevt(Kernel kernel, Vnode vp, long first, int nblks) {
        this.kernel = kernel;
        this.addr = kernel.kmem_addr(0x60);
        this.sw_vp = vp;
        this.sw_id = vp;
        this.sw_first = first;
        this.sw_nblks = nblks;
        this.sw_end = first + nblks;
        this.sw_blist = new BitSet(nblks);
    }

    public Kernel kernel() {
        return kernel;
    }

    /** swp_pager_isondev: whether swap block {@code blk} is on this device. */
    public boolean swp_pager_isondev(long blk) {
        return blk >= sw_first && blk < sw_end;
    }

    /** %p. */
    @Override
    public String toString() {
        return addr;
    }
}
