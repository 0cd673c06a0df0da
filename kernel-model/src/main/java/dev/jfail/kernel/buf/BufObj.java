package dev.jfail.kernel.buf;

import dev.jfail.kernel.kern.Kernel;
import dev.jfail.kernel.vfs.Vnode;
import dev.jfail.kernel.vm.VmObject;

import java.util.TreeMap;

/**
 * struct bufobj (sys/bufobj.h): the buffers of a vnode (or device) by logical block, the VM
 * object they cache, and the strategy routine ({@code bo_ops->bop_strategy}; bufstrategy for
 * vnodes). The buffer map is guarded by this object's monitor (BO_LOCK, never held across a sleep).
 */
public final class BufObj {

    /** struct buf_ops. */
    public interface BufOps {
        void bop_strategy(BufObj bo, Buf bp);
    }

    private final Kernel kernel;
    public final Vnode bo_private;
    public BufOps bo_ops = VfsBio::bufstrategy;
    public VmObject bo_object;
    final TreeMap<Long, Buf> bufs = new TreeMap<>();

    public BufObj(Kernel kernel, Vnode vp) {
        this.kernel = kernel;
        this.bo_private = vp;
    }

    public Kernel kernel() {
        return kernel;
    }

    /** BO_STRATEGY. */
    public static void BO_STRATEGY(BufObj bo, Buf bp) {
        bo.bo_ops.bop_strategy(bo, bp);
    }

    /** gbincore: the buffer of {@code lblkno}, or null. */
    public Buf gbincore(long lblkno) {
        synchronized (this) {
            return bufs.get(lblkno);
        }
    }
}
