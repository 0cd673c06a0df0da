package dev.jfail.kernel.md;

import dev.jfail.kernel.kern.Kernel;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * struct md_rdev (drivers/md/md.h): a member disk of an array. {@code mddev} is the back pointer
 * that unbind_rdev_from_array clears while a completion may still be on its way to read it.
 */
public final class MdRdev {
    // rdev->flags bits
    public static final int Faulty = 1;
    public static final int In_sync = 2;
    public static final int LastDev = 1 << 10;

    private final String addr;
    /** Read by completions on the softirq, cleared by the thread stopping the array. */
    public volatile Mddev mddev;
    public final BlockDevice bdev;
    public int raid_disk = -1;
    /** Where this member's metadata area starts, in sectors. */
    public long sb_start;
    public volatile int flags;
    /** The member's superblock (md_update_sb writes it). */
    public final Page sb_page = new Page(0);
    /** I/O in flight to this member: data writes and super-block writes alike. */
    public final AtomicInteger nr_pending = new AtomicInteger();

    public MdRdev(Kernel kernel, BlockDevice bdev, long sb_start) {
        this.addr = kernel.kmem_addr(0x2c0);
        this.bdev = bdev;
        this.sb_start = sb_start;
    }

    public static boolean test_bit(int bit, MdRdev rdev) {
        return (rdev.flags & bit) != 0;
    }

    /** %p. */
    @Override
    public String toString() {
        return addr;
    }
}
