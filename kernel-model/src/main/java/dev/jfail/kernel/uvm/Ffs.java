package dev.jfail.kernel.uvm;

import dev.jfail.kernel.vfs.ObsdVfsSubr;

import dev.jfail.kernel.buf.CompletionThread;
import dev.jfail.kernel.kern.Kernel;
import dev.jfail.kernel.vfs.DefaultVnodeops;
import dev.jfail.kernel.vfs.Mount;
import dev.jfail.kernel.vfs.VfsSubr;
import dev.jfail.kernel.vfs.Vnode;
import dev.jfail.kernel.vfs.VopVector;
import dev.jfail.kernel.vm.VmPage;

import java.util.HashMap;
import java.util.Map;

/**
 * OpenBSD's FFS as the race needs it (sys/ufs/ffs, sys/ufs/ufs): vnodes of inodes got with
 * ffs_vget (getnewvnode, which may recycle), reads and writes that go to the disk and sleep in
 * biowait until sd0's interrupt, inactive and reclaim, and creating a file (open(2) with O_CREAT:
 * vn_open -> VOP_CREATE -> ufs_create -> ufs_makeinode -> ffs_inode_alloc -> ffs_vget).
 * The disk holds each inode's blocks (page-sized; a data tag each).
 */
public final class Ffs {

    public static final VopVector ffs_vnodeops = new VopVector("ffs", DefaultVnodeops.default_vnodeops);

    static {
        ffs_vnodeops.vop_write = Ffs::ffs_write;
        ffs_vnodeops.vop_inactive = Ffs::ufs_inactive;
        ffs_vnodeops.vop_reclaim = Ffs::ffs_reclaim;
    }

    /** struct inode: the vnode's v_data. */
    public record Inode(int i_number) {
    }

    /** The disk (sd0): blocks by inode, and the completion of its transfers. */
    static final class Disk {
        final Map<Integer, Map<Long, Long>> blocks = new HashMap<>();
        final CompletionThread sd0;

        Disk(Kernel k) {
            sd0 = new CompletionThread(k, "sd0");
        }
    }

    private Ffs() {
    }

    static Disk disk(Kernel k) {
        return k.subsystem(Disk.class, Disk::new);
    }

    /** mount /dev/sd0a on {@code on}. */
    public static Mount ffs_mount(Kernel k, String on) {
        disk(k);
        return new Mount(k, "ffs", on, 16384, ffs_vnodeops);
    }

    /** What the disk holds in block {@code lbn} of inode {@code ino}, or null. */
    public static Long disk_block(Kernel k, int ino, long lbn) {
        Disk d = disk(k);
        synchronized (d) {
            return d.blocks.getOrDefault(ino, Map.of()).get(lbn);
        }
    }

    /** ffs_vget: the vnode of inode {@code ino}, referenced (a new one, or a recycled one). */
    public static Vnode ffs_vget(Mount mp, int ino) {
        Vnode vp = ObsdVfsSubr.getnewvnode(mp.kernel(), "ffs", mp, ffs_vnodeops);
        vp.v_type = Vnode.VREG;
        vp.v_data = new Inode(ino);
        return vp;
    }

    /**
     * ffs_write (VOP_WRITE from uvn_io): for each block, UFS_BUF_ALLOC, then uvm_vnp_uncache (as
     * OpenBSD's ffs_write does on every write: it is there that a pageout of an unreferenced
     * vnode's persisting object meets vref), then the data goes to the inode's blocks; biowait.
     */
    static int ffs_write(Vnode vp, long offset, VmPage[] ma, int count) {
        Kernel k = vp.kernel();
        Inode ip = (Inode) vp.v_data;
        k.modelCheck(ip != null, "ffs_write: vnode %s has no inode", vp);
        UvmVnode.uvm_vnp_uncache(vp);
        long lbn = offset >>> VmPage.PAGE_SHIFT;
        long[] data = new long[count];
        for (int i = 0; i < count; i++) {
            data[i] = ma[i].data;
        }
        sd_io(k, () -> {
            Disk d = disk(k);
            synchronized (d) {
                Map<Long, Long> file = d.blocks.computeIfAbsent(ip.i_number(), n -> new HashMap<>());
                for (int i = 0; i < count; i++) {
                    file.put(lbn + i, data[i]);
                }
            }
        });
        return 0;
    }

    /** ffs_read (VOP_READ) of block {@code lbn}: biowait for the disk. */
    public static Long ffs_read(Vnode vp, long lbn) {
        Kernel k = vp.kernel();
        Inode ip = (Inode) vp.v_data;
        k.modelCheck(ip != null, "ffs_read: vnode %s has no inode", vp);
        sd_io(k, () -> {
        });
        return disk_block(k, ip.i_number(), lbn);
    }

    /** The transfer, done by sd0 (its interrupt) once the caller sleeps in biowait, the kernel lock released. */
    private static void sd_io(Kernel k, Runnable transfer) {
        boolean[] done = new boolean[1];
        KernelLock.biowait(k, () -> disk(k).sd0.enqueue(() -> {
            transfer.run();
            k.sched_lock();
            try {
                done[0] = true;
                k.sleepq_broadcast();
            } finally {
                k.sched_unlock();
            }
        }), () -> done[0]);
    }

    static int ufs_inactive(Vnode vp) {
        return 0;
    }

    /** ffs_reclaim: the inode goes. */
    static int ffs_reclaim(Vnode vp) {
        vp.v_data = null;
        return 0;
    }

    // ------------------------------------------------------------------ open(2) with O_CREAT

    /** open(2) of a new file {@code name} of the mount: its vnode, referenced. */
    public static Vnode sys_open(Mount mp, String name, int ino) {
        return doopenat(mp, name, ino);
    }

    static Vnode doopenat(Mount mp, String name, int ino) {
        return vn_open(mp, name, ino);
    }

    static Vnode vn_open(Mount mp, String name, int ino) {
        return VOP_CREATE(mp, name, ino);
    }

    /** VOP_CREATE of an ffs directory. */
    static Vnode VOP_CREATE(Mount mp, String name, int ino) {
        return ufs_create(mp, name, ino);
    }

    static Vnode ufs_create(Mount mp, String name, int ino) {
        return ufs_makeinode(mp, ino);
    }

    static Vnode ufs_makeinode(Mount mp, int ino) {
        return ffs_inode_alloc(mp, ino);
    }

    static Vnode ffs_inode_alloc(Mount mp, int ino) {
        return ffs_vget(mp, ino);
    }

    /** close(2): vn_close drops the reference. */
    public static void sys_close(Vnode vp) {
        VfsSubr.vrele(vp);
    }
}
