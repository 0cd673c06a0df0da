package dev.jfail.kernel.vfs;

import dev.jfail.kernel.kern.Errno;
import dev.jfail.kernel.kern.Kernel;
import dev.jfail.kernel.vfs.Mount;
import dev.jfail.kernel.vfs.VfsSubr;
import dev.jfail.kernel.vfs.Vnode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * kern/vfs_mount.c and vflush (kern/vfs_subr.c), as far as shutting a FreeBSD machine down needs
 * them: the mount list, the vnodes of each mount (mnt_nvnodelist, insmntque), unmount(2) with
 * MNT_FORCE (dounmount -> VFS_UNMOUNT), vflush(FORCECLOSE) reclaiming even vnodes in use, and
 * vfs_unmountall at reboot. State is guarded by this subsystem's monitor.
 */
public final class VfsMount {
    public static final int MNT_FORCE = 0x00080000;
    public static final int FORCECLOSE = 0x0002;

    /** VFS_UNMOUNT of a filesystem. */
    public interface VfsUnmount {
        int vfs_unmount(Mount mp, int mntflags);
    }

    private final List<Mount> mountlist = new ArrayList<>();
    private final Map<Mount, List<Vnode>> mnt_nvnodelist = new HashMap<>();
    private final Map<Mount, VfsUnmount> vfsops = new HashMap<>();
    /** MNTK_UNMOUNT: an unmount of the mount is under way. */
    private final Set<Mount> unmounting = new HashSet<>();

    private VfsMount(Kernel k) {
    }

    static VfsMount mounts(Kernel k) {
        return k.subsystem(VfsMount.class, VfsMount::new);
    }

    /** vfs_domount_first: the new mount goes on the mount list; {@code unmount} is its VFS_UNMOUNT. */
    public static void vfs_domount_first(Mount mp, VfsUnmount unmount) {
        VfsMount vm = mounts(mp.kernel());
        synchronized (vm) {
            vm.mountlist.add(mp);
            vm.mnt_nvnodelist.put(mp, new ArrayList<>());
            vm.vfsops.put(mp, unmount);
        }
    }

    /** insmntque: the vnode joins its mount's vnode list. */
    public static void insmntque(Vnode vp, Mount mp) {
        VfsMount vm = mounts(mp.kernel());
        synchronized (vm) {
            vm.mnt_nvnodelist.get(mp).add(vp);
        }
    }

    /** Whether {@code mp} is still on the mount list. */
    public static boolean mounted(Mount mp) {
        VfsMount vm = mounts(mp.kernel());
        synchronized (vm) {
            return vm.mountlist.contains(mp);
        }
    }

    /** unmount(2) of the filesystem mounted on {@code path}. */
    public static int sys_unmount(Kernel k, String path, int flags) {
        Mount mp;
        VfsMount vm = mounts(k);
        synchronized (vm) {
            mp = vm.mountlist.stream().filter(m -> m.mnt_stat_f_mntonname.equals(path)).findFirst().orElse(null);
        }
        return mp == null ? Errno.EINVAL : dounmount(mp, flags);
    }

    /** dounmount: one unmount at a time (EBUSY while another is under way); VFS_UNMOUNT; off the list. */
    public static int dounmount(Mount mp, int flags) {
        VfsMount vm = mounts(mp.kernel());
        VfsUnmount unmount;
        synchronized (vm) {
            if (!vm.mountlist.contains(mp) || !vm.unmounting.add(mp)) {
                return Errno.EBUSY;
            }
            unmount = vm.vfsops.get(mp);
        }
        int error = unmount.vfs_unmount(mp, flags);
        synchronized (vm) {
            vm.unmounting.remove(mp);
            if (error == 0) {
                vm.mountlist.remove(mp);
            }
        }
        return error;
    }

    /**
     * vflush: reclaims (vgone) every vnode of the mount; one in use only with FORCECLOSE, else
     * EBUSY. A forced unmount thus dooms vnodes others still use — the swap file's among them.
     */
    public static int vflush(Mount mp, int rootrefs, int flags) {
        VfsMount vm = mounts(mp.kernel());
        List<Vnode> vnodes;
        synchronized (vm) {
            vnodes = new ArrayList<>(vm.mnt_nvnodelist.get(mp));
        }
        int busy = 0;
        for (Vnode vp : vnodes) {
            if (Vnode.VN_IS_DOOMED(vp)) {
                continue;
            }
            if (vp.v_usecount > 0 && (flags & FORCECLOSE) == 0) {
                busy++;
                continue;
            }
            VfsSubr.vgone(vp);
        }
        return busy > rootrefs ? Errno.EBUSY : 0;
    }

    /** vfs_unmountall: at reboot, every filesystem is unmounted by force, the last mounted first. */
    public static void vfs_unmountall(Kernel k) {
        VfsMount vm = mounts(k);
        List<Mount> mounts;
        synchronized (vm) {
            mounts = new ArrayList<>(vm.mountlist);
        }
        for (int i = mounts.size() - 1; i >= 0; i--) {
            Mount mp = mounts.get(i);
            int error = dounmount(mp, MNT_FORCE);
            if (error != 0) {
                k.printf("unmount of %s failed (%s)", mp.mnt_stat_f_mntonname,
                        error == Errno.EBUSY ? "BUSY" : String.valueOf(error));
            }
        }
    }
}
