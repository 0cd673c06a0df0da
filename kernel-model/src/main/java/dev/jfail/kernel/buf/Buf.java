package dev.jfail.kernel.buf;

import dev.jfail.kernel.kern.Kernel;
import dev.jfail.kernel.kern.SleepLock;
import dev.jfail.kernel.vfs.Vnode;
import dev.jfail.kernel.vm.VmPage;

import java.util.function.Consumer;

/**
 * struct buf (sys/buf.h): a buffer for the I/O of one logical block, with its pages (VMIO), its
 * lock (BUF_LOCK, lockmgr "bufwait"), its state and the I/O's outcome. {@code b_data} stands for
 * the buffer's bytes: a data tag per page. Functions on bufs are in {@link VfsBio}.
 */
public final class Buf {
    // b_flags
    public static final int B_ASYNC = 0x00000004;
    public static final int B_CACHE = 0x00000020;
    public static final int B_DONE = 0x00000200;
    public static final int B_INVAL = 0x00002000;
    public static final int B_NOCACHE = 0x00008000;
    public static final int B_RELBUF = 0x00400000;
    public static final int B_VMIO = 0x20000000;
    // b_ioflags
    public static final int BIO_ERROR = 0x01;
    // b_iocmd
    public static final int BIO_READ = 0x01;
    public static final int BIO_WRITE = 0x02;

    private final Kernel kernel;
    private final String addr;
    public final SleepLock b_lock;

    /** Guarded by the kernel's sched lock where B_DONE is concerned (bufwait sleeps on it). */
    public int b_flags;
    public int b_ioflags;
    public int b_iocmd;
    public int b_error;
    public Vnode b_vp;
    public BufObj b_bufobj;
    public long b_lblkno;
    public long b_blkno;
    /** Byte offset of the buffer in its file (VMIO). */
    public long b_offset;
    public int b_bcount;
    public int b_bufsize;
    public VmPage[] b_pages = new VmPage[0];
    public int b_npages;
    /** The data tag of each page's worth of the buffer. */
    public long[] b_data = new long[0];
    /** The completion called by bufdone instead of the default one (biodone's b_iodone). */
    public Consumer<Buf> b_iodone;
    /** Whatever the caller hangs on the buffer (b_caller1 / b_fsprivate). */
    public Object b_caller1;

    public Buf(Kernel kernel) {
        this.kernel = kernel;
        this.addr = kernel.kmem_addr(0x3a8);
        this.b_lock = SleepLock.lockmgr(kernel, "bufwait");
    }

    public Kernel kernel() {
        return kernel;
    }

    /** %p. */
    @Override
    public String toString() {
        return addr;
    }
}
