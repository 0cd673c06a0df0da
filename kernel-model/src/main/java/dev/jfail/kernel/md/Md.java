package dev.jfail.kernel.md;

import dev.jfail.FailPoint;
import dev.jfail.kernel.kern.Kernel;
import dev.jfail.kernel.kern.KernelPanic;

/**
 * drivers/md/md.c as the April 2021 linux-raid thread describes it: super-block writes and their
 * completion, and stopping an array (STOP_ARRAY, or mdmon writing "clear" to array_state): do_md_stop -> __md_stop_writes ->
 * md_bitmap_flush; __md_stop -> md_bitmap_destroy; export_array -> unbind_rdev_from_array,
 * which clears rdev->mddev — under a super_written still on its way if nobody waited for it.
 */
public final class Md {
    public static final int EINVAL = 22;
    public static final int EAGAIN = 11;

    private Md() {
    }

    // ------------------------------------------------------------------ assembling an array

    /**
     * What mdadm and md_run do to start {@code name} as raid1 over {@code members}, with a bitmap of
     * {@code chunks} chunks kept by user space ({@code external}, as with IMSM metadata) or by md.
     */
    public static Mddev md_run(Kernel k, String name, boolean external, int chunks, BlockDevice... members) {
        Workqueue.md_misc_wq(k);
        Mddev mddev = new Mddev(k, name);
        if (external) {
            mddev.persistent = 0;
            mddev.external = 1;
        }
        mddev.bitmap_info.external = external;
        mddev.bitmap_info.offset = 8;
        int slot = 0;
        for (BlockDevice bdev : members) {
            MdRdev rdev = new MdRdev(k, bdev, 0);
            bind_rdev_to_array(rdev, mddev);
            rdev.raid_disk = slot++;
            rdev.flags |= MdRdev.In_sync;
        }
        mddev.raid_disks = slot;
        MdBitmap.md_bitmap_create(mddev, chunks, 7);
        Raid1.raid1_run(mddev);
        return mddev;
    }

    /** bind_rdev_to_array. */
    static void bind_rdev_to_array(MdRdev rdev, Mddev mddev) {
        rdev.mddev = mddev;
        mddev.disks.add(rdev);
    }

    // ------------------------------------------------------------------ super-block writes

    /**
     * md_super_write: an asynchronous write of {@code page} to {@code rdev} at {@code sector},
     * counted in mddev->pending_writes; super_written ends it.
     */
    public static void md_super_write(Mddev mddev, MdRdev rdev, long sector, int size, Page page) {
        if (page == null || MdRdev.test_bit(MdRdev.Faulty, rdev)) {
            return;
        }
        Bio bio = new Bio(mddev.kernel());
        rdev.nr_pending.incrementAndGet();
        bio.bi_bdev = rdev.bdev;
        bio.bi_sector = sector;
        bio.bi_size = size;
        bio.bi_data = page.data;
        bio.bi_private = rdev;
        bio.bi_end_io = Md::super_written;
        bio.bi_opf = Bio.REQ_OP_WRITE | Bio.REQ_SYNC | Bio.REQ_PREFLUSH | Bio.REQ_FUA;
        mddev.pending_writes.incrementAndGet();
        Blk.submit_bio(bio);
    }

    /**
     * super_written: the completion of a super-block write, on the softirq. It finds the array
     * through rdev->mddev — NULL once the member has been unbound.
     */
    static void super_written(Bio bio) {
        super_written_delay(bio.bi_bdev.kernel());
        MdRdev rdev = (MdRdev) bio.bi_private;
        super_written_pre_mddev();
        Mddev mddev = rdev.mddev;
        if (bio.bi_status != 0) {
            mddev.kernel().printf("md: super_written gets error=%d", bio.bi_status);
            rdev.flags |= MdRdev.Faulty;
        } else {
            rdev.flags &= ~MdRdev.LastDev;
        }
        if (mddev.pending_writes.decrementAndGet() == 0) {
            WaitQueueHead.wake_up(mddev.sb_wait);
        }
        rdev_dec_pending(rdev, mddev);
    }

    /** Failpoint: a super-block write has reached the disk; its completion is about to run. */
    @FailPoint(value = "super_written_delay", panic = KernelPanic.class)
    static void super_written_delay(Kernel k) {
        // a point to inject at: it does nothing itself
    }

    /** rdev_dec_pending. */
    static void rdev_dec_pending(MdRdev rdev, Mddev mddev) {
        if (rdev.nr_pending.decrementAndGet() == 0 && MdRdev.test_bit(MdRdev.Faulty, rdev)) {
            MdThread.md_wakeup_thread(mddev.thread);
        }
    }

    /**
     * Failpoint (an ordering point, not in Linux): super_written is about to read rdev->mddev,
     * which unbind_rdev_from_array clears with no lock between them. A tool that replays a run
     * orders the read against the clear here.
     */
    @FailPoint(value = "super_written_pre_mddev", panic = KernelPanic.class)
    static void super_written_pre_mddev() {
    }

    /** md_super_wait: waits for every super-block write scheduled so far; -EAGAIN if one must be redone. */
    public static int md_super_wait(Mddev mddev) {
        WaitQueueHead.wait_event(mddev.sb_wait, () -> mddev.pending_writes.get() == 0);
        if ((mddev.sb_flags & Mddev.MD_SB_NEED_REWRITE) != 0) {
            mddev.sb_flags &= ~Mddev.MD_SB_NEED_REWRITE;
            return -EAGAIN;
        }
        return 0;
    }

    /**
     * md_update_sb: writes the array's superblocks and waits for them (md_super_wait) — except that
     * with metadata kept by user space (not persistent) md has nothing to write and returns at once.
     */
    static void md_update_sb(Mddev mddev, int force_change) {
        if (mddev.ro != 0) {
            return;
        }
        if (mddev.persistent == 0) {
            mddev.sb_flags = 0;
            WaitQueueHead.wake_up(mddev.sb_wait);
            return;
        }
        for (MdRdev rdev : mddev.disks) {
            if (rdev.raid_disk >= 0 && !MdRdev.test_bit(MdRdev.Faulty, rdev)) {
                md_super_write(mddev, rdev, rdev.sb_start, 4096, rdev.sb_page);
            }
        }
        md_super_wait(mddev);
    }

    // ------------------------------------------------------------------ stopping an array

    /** array_state_store: what mdmon writes to /sys/block/md0/md/array_state. */
    public static int array_state_store(Mddev mddev, String buf) {
        return switch (buf.strip()) {
            case "clear" -> do_md_stop(mddev, 0);
            case "inactive" -> do_md_stop(mddev, 2);
            default -> -EINVAL;
        };
    }

    /** do_md_stop: mode 0 stops the array and frees it (export_array); mode 2 leaves it inactive. */
    static int do_md_stop(Mddev mddev, int mode) {
        if ((mddev.recovery & Mddev.MD_RECOVERY_FROZEN) == 0) {
            mddev.recovery |= Mddev.MD_RECOVERY_FROZEN;
            MdThread.md_wakeup_thread(mddev.thread);
        }
        if (mddev.pers != null) {
            __md_stop_writes(mddev);
            __md_stop(mddev);
        }
        if (mode == 0) {
            // Linux prints "md: <name> stopped." here (pr_info); the report shows no console line, so the model prints none
            mddev.bitmap_info.offset = 0;
            export_array(mddev);
            md_clean(mddev);
        }
        return 0;
    }

    /** __md_stop_writes: quiesce, flush the bitmap, and mark the array clean if it is not. */
    static void __md_stop_writes(Mddev mddev) {
        mddev.recovery |= Mddev.MD_RECOVERY_FROZEN;
        if (mddev.pers != null) {
            Raid1.raid1_quiesce(mddev, 1);
            Raid1.raid1_quiesce(mddev, 0);
        }
        MdBitmap.md_bitmap_flush(mddev);
        if (mddev.ro == 0 && (mddev.in_sync == 0 || mddev.sb_flags != 0)) {
            mddev.in_sync = 1;
            md_update_sb(mddev, 1);
        }
    }

    /** __md_stop: the bitmap goes, the personality's thread stops, md's pending work is flushed, the personality lets go. */
    static void __md_stop(Mddev mddev) {
        MdBitmap.md_bitmap_destroy(mddev);
        mddev_detach(mddev);
        Workqueue.flush_workqueue(Workqueue.md_misc_wq(mddev.kernel()));
        mddev.pers = null;
        Raid1.raid1_free(mddev, mddev.private_);
        mddev.recovery &= ~Mddev.MD_RECOVERY_FROZEN;
    }

    /** mddev_detach: quiesce once more and stop md0_raid1 (kthread_stop waits for it). */
    static void mddev_detach(Mddev mddev) {
        if (mddev.pers != null) {
            Raid1.raid1_quiesce(mddev, 1);
            Raid1.raid1_quiesce(mddev, 0);
        }
        MdThread.md_unregister_thread(mddev);
    }

    /** export_array: every member is kicked out of the array. */
    static void export_array(Mddev mddev) {
        for (MdRdev rdev : mddev.disks) {
            if (rdev.mddev == null) {
                continue;
            }
            md_kick_rdev_from_array(rdev);
        }
        mddev.raid_disks = 0;
    }

    /** md_kick_rdev_from_array. */
    static void md_kick_rdev_from_array(MdRdev rdev) {
        unbind_rdev_from_array(rdev);
        export_rdev(rdev);
    }

    /**
     * unbind_rdev_from_array: the member leaves the array; rdev->mddev = NULL. The model notes
     * (its own check, which Linux does not make or print) whether a super-block write was still in
     * flight to the member: the race's invariant.
     */
    static void unbind_rdev_from_array(MdRdev rdev) {
        Mddev mddev = rdev.mddev;
        Kernel k = mddev.kernel();
        if (sb_write_in_flight(rdev)) {
            mddev.unbound_with_sb_write_in_flight = true;
        }
        mddev.disks.remove(rdev);
        rdev.mddev = null;
        unbind_rdev_post_null(k);
        Rcu.synchronize_rcu(k);
    }

    /** Failpoint: the member's back pointer to the array is gone; the grace period is next. */
    @FailPoint(value = "unbind_rdev_post_null", panic = KernelPanic.class)
    static void unbind_rdev_post_null(Kernel k) {
        // a point to inject at: it does nothing itself
    }

    /** The invariant: I/O (a super-block write, the array being quiesced) still in flight to {@code rdev}. */
    public static boolean sb_write_in_flight(MdRdev rdev) {
        return rdev.nr_pending.get() != 0;
    }

    /** export_rdev: the member's device is released. */
    static void export_rdev(MdRdev rdev) {
        rdev.raid_disk = -1;
    }

    /** md_clean: the array's state back to nothing. */
    static void md_clean(Mddev mddev) {
        mddev.in_sync = 0;
        mddev.sb_flags = 0;
        mddev.recovery = 0;
    }
}
