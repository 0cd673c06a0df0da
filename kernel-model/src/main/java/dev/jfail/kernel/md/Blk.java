package dev.jfail.kernel.md;

import dev.jfail.kernel.buf.CompletionThread;
import dev.jfail.kernel.kern.Kernel;

/**
 * The block layer under md (block/blk-core.c, block/bio.c): {@code submit_bio} hands a bio to its
 * disk, which writes it and raises its completion; completions run on {@code ksoftirqd/0}, as the
 * block softirq runs them ({@code blk_done_softirq} -> {@code bio_endio} -> {@code bi_end_io}).
 * Counts the bios in flight so a run can wait until the disks are quiet.
 */
public final class Blk {
    private final Kernel kernel;
    private final CompletionThread softirq;
    // guarded by the kernel's sched lock
    private int inflight;

    private Blk(Kernel kernel) {
        this.kernel = kernel;
        this.softirq = new CompletionThread(kernel, "ksoftirqd/0");
    }

    /** The block layer of {@code kernel}, its softirq thread started on first use. */
    public static Blk blk(Kernel kernel) {
        return kernel.subsystem(Blk.class, Blk::new);
    }

    /** submit_bio: the disk takes the write now; its completion comes from the softirq. */
    public static void submit_bio(Bio bio) {
        blk(bio.bi_bdev.kernel()).queue(bio);
    }

    private void queue(Bio bio) {
        if ((bio.bi_opf & Bio.REQ_OP_WRITE) != 0) {
            bio.bi_bdev.sectors.put(bio.bi_sector, bio.bi_data);
        }
        kernel.sched_lock();
        try {
            inflight++;
        } finally {
            kernel.sched_unlock();
        }
        softirq.enqueue(() -> blk_done_softirq(bio));
    }

    /** The softirq's part, an RCU read-side section: the bio is done, whatever its completion does. */
    private void blk_done_softirq(Bio bio) {
        Rcu.rcu_read_lock(kernel);
        try {
            bio_endio(bio);
        } finally {
            Rcu.rcu_read_unlock(kernel);
            kernel.sched_lock();
            try {
                inflight--;
                kernel.sleepq_broadcast();
            } finally {
                kernel.sched_unlock();
            }
        }
    }

    /** bio_endio: the bio's owner learns the outcome. */
    public static void bio_endio(Bio bio) {
        bio.bi_end_io.accept(bio);
    }

    /** Bios submitted and not yet completed. */
    public int inflight() {
        kernel.sched_lock();
        try {
            return inflight;
        } finally {
            kernel.sched_unlock();
        }
    }

    /**
     * device_shutdown (drivers/base/core.c) as the disks see it at reboot: sd_shutdown syncs each
     * disk's cache, which waits until no bio is in flight.
     */
    public static void device_shutdown(Kernel k) {
        Blk blk = blk(k);
        k.sched_lock();
        try {
            k.sleepq_wait(null, "sd_shutdown", () -> blk.inflight == 0, 0);
        } finally {
            k.sched_unlock();
        }
    }

    /** The softirq thread. */
    public CompletionThread softirq() {
        return softirq;
    }
}
