package dev.jfail.kernel.race;

import dev.jfail.kernel.kern.KThread;
import dev.jfail.kernel.kern.Kernel;
import dev.jfail.kernel.md.Blk;
import dev.jfail.kernel.md.BlockDevice;
import dev.jfail.kernel.md.Md;
import dev.jfail.kernel.md.MdBitmap;
import dev.jfail.kernel.md.Mddev;
import dev.jfail.kernel.md.Raid1;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.jfail.kernel.race.Races.orderedMap;

/**
 * Race 4: md bitmap teardown with an external bitmap (Linux, April 2021: the linux-raid thread; its
 * stacks are of an older kernel, synchronize_sched, __vfs_write). The fix is named after commit
 * 404a8ef51258, which is from Linux's later history, not the thread. At shutdown mdmon stops a raid1 array whose bitmap is kept by user space (IMSM):
 * md_bitmap_flush's last daemon pass writes a bitmap page with md_super_write and nobody waits for
 * it — md_bitmap_update_sb returns early for an external bitmap, md_update_sb is skipped, and
 * md_bitmap_free waits for bitmap->pending_writes, not mddev->pending_writes. The member is
 * unbound (rdev->mddev = NULL) and the write's completion, super_written, dereferences it.
 *
 * <p>The workload: the array takes a write (its chunk's bit is set, then aged by the daemon), then
 * mdmon writes "clear" to array_state while systemd-shutdown waits to shut the disks down.
 *
 * <p>Failpoints: {@code super_written_delay} (the completion, on the softirq) opens the window;
 * {@code md_bitmap_flush_pre_update_sb} (the last bitmap writes are in flight, counted in
 * mddev->pending_writes and not in bitmap->pending_writes) and {@code unbind_rdev_post_null}
 * (rdev->mddev is NULL) are where a spec pauses mdmon to order the completion by hand; the
 * project's settings leave them off.
 */
public final class MdBitmapRace extends ModelRace {

    static final Param EXTERNAL = new Param("external", 1, 0, 1,
            "1: the bitmap is kept by user space (IMSM); 0: md's own (internal) bitmap, whose update waits");

    private static final RaceInfo INFO = new RaceInfo("md-bitmap",
            "md bitmap teardown with an external bitmap (Linux, Apr 2021)",
            List.of(Variant.buggy("buggy", "md as the thread describes it: md_bitmap_flush returns with the last"
                            + " bitmap write in flight; md_bitmap_free waits only for bitmap->pending_writes"),
                    Variant.fix("fixed", MdBitmap.FIX_EXTERNAL_FLUSH_WAIT, "md_bitmap_flush calls md_super_wait(mddev)"
                            + " when the bitmap is external, as the thread proposes, but before md_bitmap_update_sb as"
                            + " commit 404a8ef51258 does (from Linux's later history, not the thread)")),
            Settings.projectsOwn(orderedMap(
                    "super_written_delay", "50%sleep(5)",
                    "md_bitmap_flush_pre_update_sb", "off",
                    "unbind_rdev_post_null", "off")),
            List.of(EXTERNAL));

    public MdBitmapRace() {
        super(INFO, params -> LINUX, (k, params) -> workload(k, EXTERNAL.of(params) == 1));
    }

    private static final Kernel.Config LINUX = Kernel.Config.linux();

    /** A Linux kernel, with 404a8ef51258 if {@code fixed}. */
    static Kernel.Config config(boolean fixed) {
        return fixed ? LINUX.patched(MdBitmap.FIX_EXTERNAL_FLUSH_WAIT) : LINUX;
    }

    /** md0 = raid1(sda, sdb) with a bitmap; one write; then mdmon stops it while the system shuts down. */
    static RaceRun.Workload workload(Kernel k, boolean external) {
        Mddev md0 = Md.md_run(k, "md0", external, 64, new BlockDevice(k, "sda"), new BlockDevice(k, "sdb"));
        Raid1.raid1_make_request(md0, 3 << 7, 8, 0x6a6f75726e616cL);
        KThread mdmon = k.uthread_add("mdmon", 7390, () -> Md.array_state_store(md0, "clear"));
        KThread shutdown = k.uthread_add("systemd-shutdown", 1, () -> {
            k.sched_lock();
            try {
                k.sleepq_wait(null, "wait4", mdmon::exited, 0);
            } finally {
                k.sched_unlock();
            }
            Blk.device_shutdown(k);
        });
        return RaceRun.Workload.of(List.of(mdmon, shutdown), () -> {
            if (md0.unbound_with_sb_write_in_flight) {
                return Optional.of("the model's invariant failed (Linux prints nothing here): a super-block write"
                        + " was still in flight to a member when it was unbound");
            }
            return md0.pers != null || !md0.disks.isEmpty()
                    ? Optional.of("the model's check failed: md0 was not stopped (its members still bound)")
                    : Optional.empty();
        });
    }
}
