package dev.jfail.kernel.vfs;

import dev.jfail.kernel.buf.BufObj;
import dev.jfail.kernel.kern.Kernel;
import dev.jfail.kernel.kern.SleepLock;
import dev.jfail.kernel.vm.VmObject;

import java.util.ArrayList;
import java.util.List;

/**
 * struct vnode (sys/vnode.h) with the fields the races use: type, use/hold/write counts, the
 * FreeBSD flags (v_iflag VIRF_DOOMED, v_vflag) and OpenBSD's v_flag (VXLOCK, VXWANT), the vop
 * vector, the vnode lock (lockmgr, named by the filesystem: "nfs", "fuse"), the VM object, the
 * bufobj. Counts and flags are guarded by the vnode interlock {@link #v_interlock} (VI_LOCK).
 * The operations on vnodes are in {@link VfsSubr}.
 */
public final class Vnode {
    // enum vtype
    public static final int VNON = 0;
    public static final int VREG = 1;
    public static final int VDIR = 2;
    public static final int VBLK = 3;
    public static final int VCHR = 4;
    public static final int VLNK = 5;
    public static final int VSOCK = 6;
    public static final int VFIFO = 7;
    public static final int VBAD = 8;
    static final String[] TYPENAME = {"VNON", "VREG", "VDIR", "VBLK", "VCHR", "VLNK", "VSOCK", "VFIFO", "VBAD"};

    // v_iflag (FreeBSD)
    public static final int VIRF_DOOMED = 0x0001;
    public static final int VI_FREE = 0x0100;
    // v_vflag (FreeBSD)
    public static final int VV_ROOT = 0x0001;
    public static final int VV_VMSIZEVNLOCK = 0x0080;
    // v_flag (OpenBSD)
    public static final int VXLOCK = 0x0100;
    public static final int VXWANT = 0x0200;

    private final Kernel kernel;
    private final String addr;
    public final SleepLock v_interlock;
    /** The vnode lock; its name is the lock type vn_printf shows ("nfs", "fuse", "ufs"). */
    public final SleepLock v_lock;

    public int v_type;
    public int v_iflag;
    public int v_vflag;
    public int v_flag;
    public int v_usecount;
    public int v_holdcnt;
    public int v_writecount;
    public VopVector v_op;
    public Mount v_mount;
    public VmObject v_object;
    public final BufObj v_bufobj;
    /** The filesystem's node (fuse_vnode_data, nfsnode, inode). */
    public Object v_data;
    /** The file's contents, standing for what the filesystem (server, disk) holds: a data tag per page. */
    public final List<Long> v_filedata = new ArrayList<>();

    public Vnode(Kernel kernel, String locktype, int type, VopVector vops, Mount mp) {
        this.kernel = kernel;
        this.addr = kernel.kmem_addr(0x1b8);
        this.v_interlock = SleepLock.mtx(kernel, "vnode interlock");
        this.v_lock = SleepLock.lockmgr(kernel, locktype);
        this.v_type = type;
        this.v_op = vops;
        this.v_mount = mp;
        this.v_bufobj = new BufObj(kernel, this);
    }

    public Kernel kernel() {
        return kernel;
    }

    private final Object vxlockChannel = new Object();

    /** The wait channel of VXWANT sleepers (OpenBSD sleeps on the vnode itself). */
    public Object vxlockChannel() {
        return vxlockChannel;
    }

    public static void VI_LOCK(Vnode vp) {
        vp.v_interlock.xlock();
    }

    public static void VI_UNLOCK(Vnode vp) {
        vp.v_interlock.unlock();
    }

    public static boolean VN_IS_DOOMED(Vnode vp) {
        return (vp.v_iflag & VIRF_DOOMED) != 0;
    }

    /** %p. */
    @Override
    public String toString() {
        return addr;
    }
}
