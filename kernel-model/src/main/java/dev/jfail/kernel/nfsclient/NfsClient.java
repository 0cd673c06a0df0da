package dev.jfail.kernel.nfsclient;

import dev.jfail.kernel.vfs.VfsMount;
import dev.jfail.kernel.kern.KernShutdown;

import dev.jfail.kernel.buf.Buf;
import dev.jfail.kernel.buf.VfsBio;
import dev.jfail.kernel.kern.KThread;
import dev.jfail.kernel.kern.Kernel;
import dev.jfail.kernel.vfs.DefaultVnodeops;
import dev.jfail.kernel.vfs.Mount;
import dev.jfail.kernel.vfs.VfsSubr;
import dev.jfail.kernel.vfs.Vnode;
import dev.jfail.kernel.vfs.VopVector;
import dev.jfail.kernel.sys.Param;
import dev.jfail.kernel.vm.VmPage;

/**
 * The NFS client (fs/nfsclient) as far as swapping to a file on NFS needs it: nfs_vnodeops with
 * nfs_strategy doing the RPC (ncl_doio) against the server's copy of the file, the per-mount
 * renew thread ({@code nfscl}), and the forced unmount: nfs_unmount(MNT_FORCE) first ends the
 * renew thread (nfscl_umount), then vflush(FORCECLOSE) reclaims every vnode of the mount — in use
 * or not.
 *
 * <p>The model's own (its source does not say what dooms the swap vnode, only that no userland is
 * left when swapoff_all runs): the client goes away with the network during the shutdown. Its
 * shutdown_pre_sync handler ({@link #nfs_shutdown_pre_sync}, which FreeBSD does not have) tells
 * the renew thread, and the renew thread, at its next renewal, finds the server gone and dismounts
 * the mount by force itself (vflush FORCECLOSE: VBAD, VIRF_DOOMED, dead vnode ops) — a kernel
 * thread, alongside init's kern_reboot. Its renewal comes {@code nfscl_renew_ticks} after the
 * last one (FreeBSD renews every second; the model's default is 100 ms, so a failing run is
 * short), and the last one was when the mount was made, just before the shutdown.
 *
 * <p>The server is reachable until then; what it holds is the vnode's {@code v_filedata} (a data
 * tag per page of the file).
 */
public final class NfsClient {
    /** nfsc_flags of struct nfsclclient. */
    public static final int NFSCLFLAGS_HASTHREAD = 0x0004;
    static final int NFSCLFLAGS_UMOUNT = 0x0008;
    /** The model's own: the network is going down with the machine; dismount at the next renewal. */
    static final int NFSCLFLAGS_NETDOWN = 0x10000;
    /** The renew thread's period, in ticks (hz = 1000): a tunable of the model, 1 s in the kernel. */
    public static final String RENEW_TUNABLE = "nfscl_renew_ticks";
    public static final long DEFAULT_RENEW_TICKS = 100;

    public static final VopVector nfs_vnodeops = new VopVector("nfs", DefaultVnodeops.default_vnodeops);

    static {
        nfs_vnodeops.vop_strategy = NfsClient::nfs_strategy;
        nfs_vnodeops.vop_reclaim = NfsClient::nfs_reclaim;
    }

    /** struct nfsmount with its struct nfsclclient. */
    public static final class NfsMount {
        public final Mount mp;
        // guarded by the kernel's sched lock
        public int nfsc_flags;
        public KThread renewThread;

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
        KernShutdown.EVENTHANDLER_REGISTER_shutdown_pre_sync(k, () -> nfs_shutdown_pre_sync(nmp));
        return nmp;
    }

    /**
     * The model's own shutdown_pre_sync handler (see the class comment): the network goes down
     * with the machine; the renew thread will find the server gone at its next renewal.
     */
    static void nfs_shutdown_pre_sync(NfsMount nmp) {
        Kernel k = nmp.mp.kernel();
        k.sched_lock();
        try {
            nmp.nfsc_flags |= NFSCLFLAGS_NETDOWN;
        } finally {
            k.sched_unlock();
        }
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
        int first = (int) (bp.b_blkno * Param.DEV_BSIZE / VmPage.PAGE_SIZE);
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

    /**
     * nfscl_renewthread: renews the client's lease every period; exits when an unmount asks. With
     * the network gone (the model's own, see the class comment) it dismounts by force and exits.
     */
    static void nfscl_renewthread(NfsMount nmp, long ticks) {
        Kernel k = nmp.mp.kernel();
        while (true) {
            boolean netdown;
            k.sched_lock();
            try {
                if ((nmp.nfsc_flags & NFSCLFLAGS_UMOUNT) != 0) {
                    nmp.nfsc_flags &= ~NFSCLFLAGS_HASTHREAD;
                    k.sleepq_broadcast();
                    return;
                }
                netdown = (nmp.nfsc_flags & NFSCLFLAGS_NETDOWN) != 0;
            } finally {
                k.sched_unlock();
            }
            if (netdown) {
                VfsMount.vflush(nmp.mp, 0, VfsMount.FORCECLOSE);
                k.sched_lock();
                try {
                    nmp.nfsc_flags &= ~NFSCLFLAGS_HASTHREAD;
                    k.sleepq_broadcast();
                } finally {
                    k.sched_unlock();
                }
                return;
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

    /** nfscl_umount: the renew thread is told to exit, woken, and waited for. */
    static void nfscl_umount(NfsMount nmp) {
        Kernel k = nmp.mp.kernel();
        k.sched_lock();
        try {
            nmp.nfsc_flags |= NFSCLFLAGS_UMOUNT;
        } finally {
            k.sched_unlock();
        }
        k.wakeup(nmp);
        k.sched_lock();
        try {
            k.sleepq_wait(null, "nfsclumnt", () -> (nmp.nfsc_flags & NFSCLFLAGS_HASTHREAD) == 0, 0);
        } finally {
            k.sched_unlock();
        }
    }
}
