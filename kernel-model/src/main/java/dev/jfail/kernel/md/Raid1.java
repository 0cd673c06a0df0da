package dev.jfail.kernel.md;

import dev.jfail.kernel.kern.Kernel;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The raid1 personality (drivers/md/raid1.c) as far as the teardown needs it: a write goes to
 * every mirror under the bitmap's write intent; quiesce waits until no write is pending.
 */
public final class Raid1 {

    /** struct r1conf. */
    public static final class R1Conf {
        final AtomicInteger nr_pending = new AtomicInteger();
        final WaitQueueHead wait_barrier;
        volatile boolean array_frozen;

        R1Conf(Kernel kernel) {
            wait_barrier = new WaitQueueHead(kernel, "wait_barrier");
        }
    }

    /** struct r1bio: one array write, done when every mirror's write is. */
    private record R1Bio(Mddev mddev, long sector, int sectors, AtomicInteger remaining) {
    }

    /** raid1_personality. */
    public static final Raid1 raid1_personality = new Raid1();

    public final String name = "raid1";

    private Raid1() {
    }

    /** raid1_run: the conf and the raid1d thread. */
    public static void raid1_run(Mddev mddev) {
        mddev.private_ = new R1Conf(mddev.kernel());
        mddev.thread = MdThread.md_register_thread(Raid1::raid1d, mddev, "raid1");
        mddev.pers = raid1_personality;
    }

    /** raid1d: the array's daemon; nothing of the teardown happens here. */
    static void raid1d(MdThread thread) {
    }

    /**
     * raid1_make_request for a write of {@code sectors} at {@code sector} holding {@code data}:
     * the bitmap records the intent (and is written out) before the mirrors are written.
     */
    public static void raid1_make_request(Mddev mddev, long sector, int sectors, long data) {
        R1Conf conf = mddev.private_;
        WaitQueueHead.wait_event(conf.wait_barrier, () -> !conf.array_frozen);
        conf.nr_pending.incrementAndGet();
        MdBitmap.md_bitmap_startwrite(mddev.bitmap, sector, sectors);
        MdBitmap.md_bitmap_unplug(mddev.bitmap);
        R1Bio r1_bio = new R1Bio(mddev, sector, sectors, new AtomicInteger(mddev.disks.size()));
        for (MdRdev rdev : mddev.disks) {
            rdev.nr_pending.incrementAndGet();
            Bio mbio = new Bio(mddev.kernel());
            mbio.bi_bdev = rdev.bdev;
            mbio.bi_opf = Bio.REQ_OP_WRITE;
            mbio.bi_sector = rdev.sb_start + 0x800 + sector;
            mbio.bi_size = sectors * 512;
            mbio.bi_data = data;
            mbio.bi_private = r1_bio;
            mbio.bi_end_io = b -> raid1_end_write_request(b, rdev);
            Blk.submit_bio(mbio);
        }
    }

    /** raid1_end_write_request: the last mirror's completion ends the write and its bitmap intent. */
    static void raid1_end_write_request(Bio bio, MdRdev rdev) {
        R1Bio r1_bio = (R1Bio) bio.bi_private;
        rdev.nr_pending.decrementAndGet();
        if (r1_bio.remaining().decrementAndGet() == 0) {
            MdBitmap.md_bitmap_endwrite(r1_bio.mddev().bitmap, r1_bio.sector(), r1_bio.sectors());
            R1Conf conf = r1_bio.mddev().private_;
            conf.nr_pending.decrementAndGet();
            WaitQueueHead.wake_up(conf.wait_barrier);
        }
    }

    /** raid1_quiesce: 1 freezes the array (waits out every pending write), 0 thaws it. */
    public static void raid1_quiesce(Mddev mddev, int quiesce) {
        R1Conf conf = mddev.private_;
        if (quiesce != 0) {
            freeze_array(conf);
        } else {
            conf.array_frozen = false;
            WaitQueueHead.wake_up(conf.wait_barrier);
        }
    }

    private static void freeze_array(R1Conf conf) {
        conf.array_frozen = true;
        WaitQueueHead.wait_event(conf.wait_barrier, () -> conf.nr_pending.get() == 0);
    }

    /** raid1_free. */
    public static void raid1_free(Mddev mddev, R1Conf conf) {
        mddev.private_ = null;
    }
}
