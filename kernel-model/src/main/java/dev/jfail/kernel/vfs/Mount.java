package dev.jfail.kernel.vfs;

import dev.jfail.kernel.kern.Kernel;

/**
 * struct mount with its statfs: the filesystem type and {@code mnt_stat.f_iosize}, the size of the
 * filesystem's logical blocks (the buffer size vfs_bio_getpages reads with).
 */
public final class Mount {
    private final Kernel kernel;
    private final String addr;
    /** vfc_name: "fusefs", "nfs", "ufs", "ffs". */
    public final String mnt_fstype;
    public final String mnt_stat_f_mntonname;
    /** mnt_stat.f_iosize. */
    public int f_iosize;
    /** The filesystem's private data (struct fuse_data, struct nfsmount...). */
    public Object mnt_data;
    /** The vop vector of the filesystem's vnodes. */
    public final VopVector vops;

    public Mount(Kernel kernel, String fstype, String mntonname, int f_iosize, VopVector vops) {
        this.kernel = kernel;
        this.addr = kernel.kmem_addr(0x3c0);
        this.mnt_fstype = fstype;
        this.mnt_stat_f_mntonname = mntonname;
        this.f_iosize = f_iosize;
        this.vops = vops;
    }

    public Kernel kernel() {
        return kernel;
    }

    @Override
    public String toString() {
        return addr;
    }
}
