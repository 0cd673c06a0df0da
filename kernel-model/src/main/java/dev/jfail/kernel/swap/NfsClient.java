package dev.jfail.kernel.swap;

import dev.jfail.kernel.buf.Buf;
import dev.jfail.kernel.buf.VfsBio;
import dev.jfail.kernel.kern.KThread;
import dev.jfail.kernel.kern.Kernel;
import dev.jfail.kernel.vfs.DefaultVnodeops;
import dev.jfail.kernel.vfs.Mount;
import dev.jfail.kernel.vfs.VfsSubr;
import dev.jfail.kernel.vfs.Vnode;
import dev.jfail.kernel.vfs.VopVector;
import dev.jfail.kernel.vm.VmPage;

/**
 * The NFS client (fs/nfsclient) as far as swapping to a file on NFS needs it: nfs_vnodeops with
 * nfs_strategy doing the RPC (ncl_doio) against the server's copy of the file, the per-mount
 * renew thread ({@code nfscl}), and the forced unmount: nfs_unmount(MNT_FORCE) first hands off
 * with the renew thread (nfscl_umount: it notices at its next renewal and exits), then
 * vflush(FORCECLOSE) reclaims every vnode of the mount — in use or not.
 *
 * <p>The server is reachable until the unmount; what it holds is the vnode's {@code v_filedata}
 * (a data tag per page of the file).
 */
public final class NfsClient {
    /** nfsc_flags of struct nfsclclient. */
    static final int NFSCLFLAGS_HASTHREAD = 0x0004;
    static final int NFSCLFLAGS_UMOUNT = 0x0008;
    /** The renew thread's period, in ticks (hz = 1000): a tunable of the model, 1 s in the kernel. */
    public static final String RENEW_TUNABLE = "nfscl_renew_ticks";
    private static final long DEFAULT_RENEW_TICKS = 3;
    static final int DEV_BSIZE = 512;

    public static final VopVector nfs_vnodeops = new VopVector("nfs", DefaultVnodeops.default_vnodeops);

    static {
        nfs_vnodeops.vop_strategy = NfsClient::nfs_strategy;
        nfs_vnodeops.vop_reclaim = NfsClient::nfs_reclaim;
    }

    /** struct nfsmount with its struct nfsclclient. */
    public static final class NfsMount {
        public final Mount mp;
        // guarded by the kernel's sched lock
        int nfsc_flags;
        KThread renewThread;

        NfsMount(Mount mp) {
            this.mp = mp;
        }
    }

    /** struct nfsnode: the file handle's file, on the server. */
    record NfsNode(String path) {
    }

    private NfsClient() {
    }

    /** mount -t nfs {@code server:/export} on {@code path}: the mount and its renew thread. */
    public static NfsMount nfs_mount(Kernel k, String path) {
        Mount mp = new Mount(k, "nfs", path, 65536, nfs_vnodeops);
        NfsMount nmp = new NfsMount(mp);
        nmp.nfsc_flags = NFSCLFLAGS_HASTHREAD;
        long renew = k.tunable(RENEW_TUNABLE, DEFAULT_RENEW_TICKS);
        nmp.renewThread = k.kthread_add("nfscl", () -> nfscl_renewthread(nmp, renew));
        VfsMount.vfs_domount_first(mp, (m, flags) -> nfs_unmount(nmp, flags));
        return nmp;
    }

    /** nfscl_nget: the vnode of file {@code name} on the mount, referenced (usecount 1). */
    public static Vnode nfscl_nget(NfsMount nmp, String name) {
        Mount mp = nmp.mp;
        Vnode vp = VfsSubr.getnewvnode(mp.kernel(), "nfs", mp, nfs_vnodeops);
        vp.v_type = Vnode.VREG;
        vp.v_vflag |= Vnode.VV_VMSIZEVNLOCK;
        vp.v_data = new NfsNode(mp.mnt_stat_f_mntonname + "/" + name);
        VfsMount.insmntque(vp, mp);
        return vp;
    }

    /** nfs_strategy: a synchronous buffer goes straight to ncl_doio. */
    static int nfs_strategy(Vnode vp, Buf bp) {
        return ncl_doio(vp, bp);
    }

    /** ncl_doio: the READ or WRITE RPC for the buffer's pages; the buffer is done. */
    static int ncl_doio(Vnode vp, Buf bp) {
        int first = (int) (bp.b_blkno * DEV_BSIZE / VmPage.PAGE_SIZE);
        synchronized (vp.v_filedata) {
            for (int i = 0; i < bp.b_npages; i++) {
                while (vp.v_filedata.size() <= first + i) {
                    vp.v_filedata.add(0L);
                }
                if (bp.b_iocmd == Buf.BIO_READ) {
                    bp.b_data[i] = vp.v_filedata.get(first + i);
                } else {
                    vp.v_filedata.set(first + i, bp.b_data[i]);
                }
            }
        }
        VfsBio.bufdone(bp);
        return 0;
    }

    /** nfs_reclaim: the nfsnode goes. */
    static int nfs_reclaim(Vnode vp) {
        vp.v_data = null;
        return 0;
    }

    /** nfscl_renewthread: renews the client's lease every period; exits when an unmount asks. */
    static void nfscl_renewthread(NfsMount nmp, long ticks) {
        Kernel k = nmp.mp.kernel();
        while (true) {
            k.sched_lock();
            try {
                if ((nmp.nfsc_flags & NFSCLFLAGS_UMOUNT) != 0) {
                    nmp.nfsc_flags &= ~NFSCLFLAGS_HASTHREAD;
                    k.sleepq_broadcast();
                    return;
                }
            } finally {
                k.sched_unlock();
            }
            k.tsleep(nmp, "nfscl", ticks);
        }
    }

    /** nfs_unmount: a forced unmount cancels the RPCs, ends the renew thread, and reclaims every vnode. */
    static int nfs_unmount(NfsMount nmp, int mntflags) {
        int flags = 0;
        if ((mntflags & VfsMount.MNT_FORCE) != 0) {
            flags |= VfsMount.FORCECLOSE;
            nfscl_umount(nmp);
        }
        return VfsMount.vflush(nmp.mp, 1, flags);
    }

    /** nfscl_umount: the handshake with the renew thread — it notices at its next renewal. */
    static void nfscl_umount(NfsMount nmp) {
        Kernel k = nmp.mp.kernel();
        k.sched_lock();
        try {
            nmp.nfsc_flags |= NFSCLFLAGS_UMOUNT;
            k.sleepq_wait(null, "nfsclumnt", () -> (nmp.nfsc_flags & NFSCLFLAGS_HASTHREAD) == 0, 0);
        } finally {
            k.sched_unlock();
        }
    }
}
