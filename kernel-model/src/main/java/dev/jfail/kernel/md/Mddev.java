package dev.jfail.kernel.md;

import dev.jfail.kernel.kern.Kernel;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * struct mddev (drivers/md/md.h): an md array with the fields the teardown race touches:
 * {@code pending_writes} and {@code sb_wait} (super-block writes in flight and their waiters),
 * the bitmap and {@code bitmap_info.external}, the member disks, the personality and its thread.
 */
public final class Mddev {
    /** The model's own check, not a field of Linux's mddev: a member was unbound with a super-block write in flight. */
    public volatile boolean unbound_with_sb_write_in_flight;

    // mddev->recovery bits
    public static final int MD_RECOVERY_FROZEN = 1 << 9;
    // mddev->sb_flags bits
    public static final int MD_SB_NEED_REWRITE = 1 << 3;

    /** mddev->bitmap_info. */
    public static final class BitmapInfo {
        /** The bitmap is managed by user space (mdmon, IMSM/DDF metadata). */
        public boolean external;
        /** Sectors from each member's sb_start to its copy of the bitmap. */
        public long offset;
        /** How often the bitmap daemon runs, in jiffies (hz = 1000). */
        public long daemon_sleep = 5000;
    }

    private final Kernel kernel;
    private final String addr;
    public final String name;
    public final AtomicInteger pending_writes = new AtomicInteger();
    public final WaitQueueHead sb_wait;
    public volatile Bitmap bitmap;
    public final BitmapInfo bitmap_info = new BitmapInfo();
    public final List<MdRdev> disks = new CopyOnWriteArrayList<>();
    public int raid_disks;
    /** Metadata is written by md itself (0 for external metadata: mdmon writes it). */
    public int persistent = 1;
    public int external;
    public int in_sync = 1;
    public int ro;
    public volatile long sb_flags;
    public volatile long recovery;
    public volatile Raid1 pers;
    public volatile Raid1.R1Conf private_;
    public volatile MdThread thread;

    public Mddev(Kernel kernel, String name) {
        this.kernel = kernel;
        this.addr = kernel.kmem_addr(0x6c0);
        this.name = name;
        this.sb_wait = new WaitQueueHead(kernel, "md_super_wait");
    }

    public Kernel kernel() {
        return kernel;
    }

    /** mdname. */
    public static String mdname(Mddev mddev) {
        return mddev.name;
    }

    /** %p. */
    @Override
    public String toString() {
        return addr;
    }
}
