package dev.jfail.kernel.md;

import dev.jfail.FailPoint;
import dev.jfail.kernel.kern.Kernel;
import dev.jfail.kernel.kern.KernelPanic;

import static dev.jfail.kernel.md.Bitmap.BITMAP_PAGE_DIRTY;
import static dev.jfail.kernel.md.Bitmap.BITMAP_PAGE_NEEDWRITE;
import static dev.jfail.kernel.md.Bitmap.BITMAP_PAGE_PENDING;
import static dev.jfail.kernel.md.Bitmap.BITMAP_STALE;
import static dev.jfail.kernel.md.Bitmap.BITMAP_WRITE_ERROR;

/**
 * drivers/md/md-bitmap.c as the April 2021 linux-raid thread describes it: write intent
 * (startwrite/endwrite/unplug), the bitmap daemon that ages counters and writes pages out, the flush at stop, and the teardown.
 *
 * <p>The counters age in three daemon passes: a finished write leaves its chunk at 2; pass one
 * makes it 1; pass two makes it 0, clears the bit and marks the page PENDING; pass three turns
 * PENDING into NEEDWRITE and writes the page with {@code wait = 0}. That last write is still in
 * flight when md_bitmap_flush returns — unless the fix waits for it (the thread's proposal, placed
 * as commit 404a8ef51258 places it; that commit is from Linux's later history, not the thread).
 */
public final class MdBitmap {
    /** The fix, named after Linux commit 404a8ef51258 (later history, not the thread): md_bitmap_flush waits for super-block writes with an external bitmap. */
    public static final String FIX_EXTERNAL_FLUSH_WAIT = "404a8ef51258";
    private static final int PAGE_SIZE = 4096;

    private MdBitmap() {
    }

    /**
     * md_bitmap_create (and load): a bitmap of {@code chunks} chunks of {@code 1 << chunkshift}
     * sectors. An internal bitmap keeps its superblock in its first page; an external one has none.
     */
    public static Bitmap md_bitmap_create(Mddev mddev, int chunks, int chunkshift) {
        Bitmap bitmap = new Bitmap(mddev.kernel(), mddev, chunks, chunkshift, !mddev.bitmap_info.external);
        bitmap.daemon_lastrun = mddev.kernel().ticks();
        mddev.bitmap = bitmap;
        return bitmap;
    }

    // ------------------------------------------------------------------ page attributes

    static void set_page_attr(Bitmap bitmap, int pnum, int attr) {
        synchronized (bitmap) {
            bitmap.storage.filemap_attr[pnum] |= 1 << attr;
        }
    }

    static void clear_page_attr(Bitmap bitmap, int pnum, int attr) {
        synchronized (bitmap) {
            bitmap.storage.filemap_attr[pnum] &= ~(1 << attr);
        }
    }

    static boolean test_page_attr(Bitmap bitmap, int pnum, int attr) {
        synchronized (bitmap) {
            return (bitmap.storage.filemap_attr[pnum] & (1 << attr)) != 0;
        }
    }

    static boolean test_and_clear_page_attr(Bitmap bitmap, int pnum, int attr) {
        synchronized (bitmap) {
            boolean was = test_page_attr(bitmap, pnum, attr);
            clear_page_attr(bitmap, pnum, attr);
            return was;
        }
    }

    /** The bitmap page holding chunk {@code chnk}; an internal bitmap's first page is its superblock. */
    private static Page filemap_page(Bitmap bitmap, int chnk) {
        return bitmap.storage.filemap[bitmap.storage.first_bits_page + chnk / Bitmap.CHUNKS_PER_PAGE];
    }

    /** md_bitmap_file_set_bit: the chunk's bit on the page, which becomes DIRTY. */
    static void md_bitmap_file_set_bit(Bitmap bitmap, int chnk) {
        Page page = filemap_page(bitmap, chnk);
        page.data |= 1L << (chnk % Bitmap.CHUNKS_PER_PAGE);
        set_page_attr(bitmap, page.index, BITMAP_PAGE_DIRTY);
    }

    /** md_bitmap_file_clear_bit: the bit goes; the page is PENDING unless already NEEDWRITE. */
    static void md_bitmap_file_clear_bit(Bitmap bitmap, int chnk) {
        Page page = filemap_page(bitmap, chnk);
        page.data &= ~(1L << (chnk % Bitmap.CHUNKS_PER_PAGE));
        if (!test_page_attr(bitmap, page.index, BITMAP_PAGE_NEEDWRITE)) {
            set_page_attr(bitmap, page.index, BITMAP_PAGE_PENDING);
            bitmap.allclean = false;
        }
    }

    // ------------------------------------------------------------------ write intent

    /** md_bitmap_startwrite: each chunk written to gets its bit (first writer) and a count. */
    public static void md_bitmap_startwrite(Bitmap bitmap, long offset, int sectors) {
        synchronized (bitmap) {
            for (int c = chunk(bitmap, offset); c <= chunk(bitmap, offset + sectors - 1); c++) {
                if (bitmap.bmc[c] == 0) {
                    md_bitmap_file_set_bit(bitmap, c);
                }
                if (bitmap.bmc[c] <= 1) {
                    bitmap.bmc[c] = 2;
                }
                bitmap.bmc[c]++;
            }
        }
    }

    /** md_bitmap_endwrite: the count drops; at 2 the chunk waits for the daemon to age it. */
    public static void md_bitmap_endwrite(Bitmap bitmap, long offset, int sectors) {
        synchronized (bitmap) {
            for (int c = chunk(bitmap, offset); c <= chunk(bitmap, offset + sectors - 1); c++) {
                bitmap.bmc[c]--;
                if (bitmap.bmc[c] <= 2) {
                    bitmap.allclean = false;
                }
            }
        }
    }

    private static int chunk(Bitmap bitmap, long sector) {
        return (int) (sector >>> bitmap.chunkshift);
    }

    /** md_bitmap_unplug: DIRTY or NEEDWRITE pages are written, and waited for, before the data. */
    public static void md_bitmap_unplug(Bitmap bitmap) {
        if (bitmap == null || (bitmap.flags & BITMAP_STALE) != 0) {
            return;
        }
        boolean writing = false;
        for (int i = 0; i < bitmap.storage.file_pages; i++) {
            boolean dirty = test_and_clear_page_attr(bitmap, i, BITMAP_PAGE_DIRTY);
            boolean need_write = test_and_clear_page_attr(bitmap, i, BITMAP_PAGE_NEEDWRITE);
            if (dirty || need_write) {
                if (!writing) {
                    md_bitmap_wait_writes(bitmap);
                }
                clear_page_attr(bitmap, i, BITMAP_PAGE_PENDING);
                write_page(bitmap, bitmap.storage.filemap[i], 0);
                writing = true;
            }
        }
        if (writing) {
            md_bitmap_wait_writes(bitmap);
        }
    }

    // ------------------------------------------------------------------ writing pages

    /**
     * md_bitmap_wait_writes: a file bitmap waits for its own writes; any other waits for the
     * array's super-block writes (md_super_wait).
     */
    static void md_bitmap_wait_writes(Bitmap bitmap) {
        if (bitmap.storage.file != null) {
            WaitQueueHead.wait_event(bitmap.write_wait, () -> bitmap.pending_writes.get() == 0);
        } else {
            Md.md_super_wait(bitmap.mddev);
        }
    }

    /** write_page: without a backing file the page goes to every member with write_sb_page. */
    static void write_page(Bitmap bitmap, Page page, int wait) {
        if (bitmap.storage.file == null) {
            if (write_sb_page(bitmap, page, wait) == -Md.EINVAL) {
                bitmap.flags |= BITMAP_WRITE_ERROR;
            }
        } else {
            bitmap.mddev.kernel().modelCheck(false, "write_page: file-backed bitmaps are not modelled");
        }
    }

    /** write_sb_page: md_super_write of the page to each active member; waits only if asked. */
    static int write_sb_page(Bitmap bitmap, Page page, int wait) {
        Mddev mddev = bitmap.mddev;
        while (true) {
            for (MdRdev rdev : mddev.disks) {
                if (rdev.raid_disk < 0 || MdRdev.test_bit(MdRdev.Faulty, rdev)) {
                    continue;
                }
                Md.md_super_write(mddev, rdev,
                        rdev.sb_start + mddev.bitmap_info.offset + (long) page.index * (PAGE_SIZE / 512),
                        PAGE_SIZE, page);
            }
            if (wait != 0 && Md.md_super_wait(mddev) < 0) {
                continue;
            }
            return 0;
        }
    }

    /** md_bitmap_update_sb: an external bitmap has no superblock of ours: nothing to write, nothing waited for. */
    public static void md_bitmap_update_sb(Bitmap bitmap) {
        if (bitmap == null || bitmap.mddev == null) {
            return;
        }
        if (bitmap.mddev.bitmap_info.external) {
            return;
        }
        if (bitmap.storage.sb_page == null) {
            return;
        }
        write_page(bitmap, bitmap.storage.sb_page, 1);
    }

    // ------------------------------------------------------------------ the daemon and the flush

    /**
     * md_bitmap_daemon_work: once per daemon_sleep, ages the counters (clearing bits of chunks
     * idle long enough) and writes out pages that need it, without waiting for those writes.
     */
    public static void md_bitmap_daemon_work(Mddev mddev) {
        Bitmap bitmap = mddev.bitmap;
        if (bitmap == null) {
            return;
        }
        long jiffies = mddev.kernel().ticks();
        if (jiffies < bitmap.daemon_lastrun + mddev.bitmap_info.daemon_sleep) {
            return;
        }
        bitmap.daemon_lastrun = jiffies;
        if (bitmap.allclean) {
            return;
        }
        bitmap.allclean = true;

        // Any page PENDING now needs to be written: NEEDWRITE, written below.
        for (int j = 0; j < bitmap.storage.file_pages; j++) {
            if (test_and_clear_page_attr(bitmap, j, BITMAP_PAGE_PENDING)) {
                set_page_attr(bitmap, j, BITMAP_PAGE_NEEDWRITE);
            }
        }
        synchronized (bitmap) {
            for (int c = 0; c < bitmap.bmc.length; c++) {
                if (bitmap.bmc[c] == 1 && !bitmap.need_sync) {
                    bitmap.bmc[c] = 0;
                    md_bitmap_file_clear_bit(bitmap, c);
                } else if (bitmap.bmc[c] != 0 && bitmap.bmc[c] <= 2) {
                    bitmap.bmc[c] = 1;
                    bitmap.allclean = false;
                }
            }
        }
        md_bitmap_wait_writes(bitmap);
        for (int j = 0; j < bitmap.storage.file_pages && (bitmap.flags & BITMAP_STALE) == 0; j++) {
            if (test_page_attr(bitmap, j, BITMAP_PAGE_DIRTY)) {
                break; // md_bitmap_unplug writes the rest
            }
            if (test_and_clear_page_attr(bitmap, j, BITMAP_PAGE_NEEDWRITE)) {
                write_page(bitmap, bitmap.storage.filemap[j], 0);
            }
        }
    }

    /**
     * md_bitmap_flush: the daemon's work three times over, so every bit that can be cleared is and
     * its page written; then the bitmap superblock. With an external bitmap nothing waits for the
     * last pass's writes — the fix, 404a8ef51258, calls md_super_wait(mddev) for an external bitmap
     * after the daemon's last pass and before md_bitmap_update_sb, as the commit does (the thread's
     * proposal put it after md_bitmap_update_sb).
     */
    public static void md_bitmap_flush(Mddev mddev) {
        Bitmap bitmap = mddev.bitmap;
        if (bitmap == null) {
            return;
        }
        long sleep = mddev.bitmap_info.daemon_sleep * 2;
        bitmap.daemon_lastrun -= sleep;
        md_bitmap_daemon_work(mddev);
        bitmap.daemon_lastrun -= sleep;
        md_bitmap_daemon_work(mddev);
        bitmap.daemon_lastrun -= sleep;
        md_bitmap_daemon_work(mddev);
        md_bitmap_flush_pre_update_sb(mddev.kernel());
        if (mddev.kernel().patched(FIX_EXTERNAL_FLUSH_WAIT) && mddev.bitmap_info.external) {
            Md.md_super_wait(mddev);
        }
        md_bitmap_update_sb(bitmap);
    }

    /** Failpoint: the flush has submitted its last page writes and is about to update the bitmap superblock. */
    @FailPoint(value = "md_bitmap_flush_pre_update_sb", panic = KernelPanic.class)
    static void md_bitmap_flush_pre_update_sb(Kernel k) {
        // a point to inject at: it does nothing itself
    }

    // ------------------------------------------------------------------ teardown

    /** md_bitmap_destroy: disconnects the bitmap from the array and frees it. */
    public static void md_bitmap_destroy(Mddev mddev) {
        Bitmap bitmap = mddev.bitmap;
        if (bitmap == null) {
            return;
        }
        mddev.bitmap = null;
        md_bitmap_free(bitmap);
    }

    /**
     * md_bitmap_free: "Shouldn't be needed - but just in case": waits for the bitmap's own
     * pending_writes — zero for a bitmap written with md_super_write, whose writes are counted in
     * mddev->pending_writes instead.
     */
    static void md_bitmap_free(Bitmap bitmap) {
        WaitQueueHead.wait_event(bitmap.write_wait, () -> bitmap.pending_writes.get() == 0);
        bitmap.freed = true;
    }
}
