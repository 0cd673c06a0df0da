package dev.jfail.kernel.vfs;

import dev.jfail.kernel.buf.Buf;
import dev.jfail.kernel.buf.CompletionThread;
import dev.jfail.kernel.buf.VfsBio;
import dev.jfail.kernel.buf.VfsBioGetpages;
import dev.jfail.kernel.kern.Kernel;
import dev.jfail.kernel.vm.VmObject;
import dev.jfail.kernel.vm.VmPage;

/**
 * fs/fuse/fuse_vnops.c and fuse_io.c, as far as paging in goes: getpages is vfs_bio_getpages over
 * the filesystem's blocks of {@code f_iosize} bytes (64 KiB since r337165), the block map says how
 * many blocks one read-ahead may cover, and a buffer's I/O is a FUSE_READ answered by the
 * daemon (a user process) while the caller sleeps "fu_ans".
 */
public final class FuseVnops {

    /** maxbcachebuf: the largest buffer, which bounds fuse_vnop_bmap's run. */
    public static final int MAXBCACHEBUF = 65536;

    public static final VopVector fuse_vnodeops = new VopVector("fuse", DefaultVnodeops.default_vnodeops);

    static {
        fuse_vnodeops.vop_getpages = FuseVnops::fuse_vnop_getpages;
        fuse_vnodeops.vop_strategy = FuseVnops::fuse_vnop_strategy;
        fuse_vnodeops.vop_bmap = FuseVnops::fuse_vnop_bmap;
    }

    /** struct fuse_data: the mount's channel to its daemon. */
    public static final class FuseData {
        final CompletionThread daemon;

        public FuseData(CompletionThread daemon) {
            this.daemon = daemon;
        }
    }

    /** A FUSE request waiting for its answer. */
    private static final class Ticket {
        boolean answered;
    }

    private FuseVnops() {
    }

    /** fuse_vnop_getpages: vfs_bio_getpages with the fuse block functions. */
    public static int fuse_vnop_getpages(Vnode vp, VmPage[] ma, int count, int[] rbehind, int[] rahead) {
        return VfsBioGetpages.vfs_bio_getpages(vp, ma, count, rbehind, rahead,
                FuseVnops::fuse_gbp_getblkno, FuseVnops::fuse_gbp_getblksz);
    }

    /** fuse_gbp_getblkno: the logical block of byte {@code off}. */
    public static long fuse_gbp_getblkno(Vnode vp, long off) {
        return off / vp.v_mount.f_iosize;
    }

    /** fuse_gbp_getblksz: the size of block {@code lbn} (the last one may be short). */
    public static int fuse_gbp_getblksz(Vnode vp, long lbn) {
        long biosize = vp.v_mount.f_iosize;
        long left = vp.v_object.vnp_size - lbn * biosize;
        return (int) Math.max(0, Math.min(biosize, left));
    }

    /** fuse_vnop_bmap: blocks map to themselves; a run may go on to EOF, up to maxbcachebuf. */
    public static int fuse_vnop_bmap(Vnode vp, long bn, long[] bnp, int[] runp, int[] runb) {
        int biosize = vp.v_mount.f_iosize;
        int maxrun = Math.max(0, MAXBCACHEBUF / biosize - 1);
        long filesize = vp.v_object.vnp_size;
        if (bnp != null) {
            bnp[0] = bn;
        }
        if (runp != null) {
            runp[0] = (int) Math.min(Math.max(0, (filesize + biosize - 1) / biosize - bn - 1), maxrun);
        }
        if (runb != null) {
            runb[0] = (int) Math.min(bn, maxrun);
        }
        return 0;
    }

    /** fuse_vnop_strategy: fuse_io_strategy, then the buffer is done. */
    public static int fuse_vnop_strategy(Vnode vp, Buf bp) {
        fuse_io_strategy(vp, bp);
        VfsBio.bufdone(bp);
        return 0;
    }

    /** fuse_io_strategy: a FUSE_READ of the buffer's block, answered by the daemon; sleeps "fu_ans". */
    static void fuse_io_strategy(Vnode vp, Buf bp) {
        Kernel k = vp.kernel();
        FuseData data = (FuseData) vp.v_mount.mnt_data;
        Ticket ticket = new Ticket();
        data.daemon.enqueue(() -> fuse_daemon_read(vp, bp, ticket));
        k.sched_lock();
        try {
            k.sleepq_wait(null, "fu_ans", () -> ticket.answered, 0);
        } finally {
            k.sched_unlock();
        }
    }

    /** The daemon's side: reads the file's bytes for the buffer and answers. */
    private static void fuse_daemon_read(Vnode vp, Buf bp, Ticket ticket) {
        long first = VmObject.OFF_TO_IDX(bp.b_offset);
        for (int i = 0; i < bp.b_npages; i++) {
            int idx = (int) (first + i);
            bp.b_data[i] = idx < vp.v_filedata.size() ? vp.v_filedata.get(idx) : 0;
        }
        Kernel k = vp.kernel();
        k.sched_lock();
        try {
            ticket.answered = true;
            k.sleepq_broadcast();
        } finally {
            k.sched_unlock();
        }
    }
}
