package dev.jfail.kernel.md;

import dev.jfail.kernel.kern.Kernel;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * struct bitmap (drivers/md/md-bitmap.h): the write-intent bitmap of an array. In memory, a
 * counter per chunk ({@code bitmap_counts}); on disk, pages of bits ({@code bitmap_storage}),
 * each with its attributes DIRTY / PENDING / NEEDWRITE. {@code pending_writes} and
 * {@code write_wait} count only the writes of a file-backed bitmap; an external or internal bitmap
 * is written with md_super_write and counted in {@code mddev->pending_writes} — the two counters
 * the teardown race is about. The functions are in {@link MdBitmap}.
 */
public final class Bitmap {
    // enum bitmap_page_attr: bit numbers in filemap_attr
    public static final int BITMAP_PAGE_DIRTY = 0;
    public static final int BITMAP_PAGE_PENDING = 1;
    public static final int BITMAP_PAGE_NEEDWRITE = 2;
    // bitmap->flags
    public static final int BITMAP_STALE = 1;
    public static final int BITMAP_WRITE_ERROR = 2;

    /** struct bitmap_storage. */
    public static final class BitmapStorage {
        /** The backing file of a file bitmap; null for internal and external bitmaps. */
        public Object file;
        public final Page[] filemap;
        public final int[] filemap_attr;
        public final int file_pages;
        /** The bitmap superblock: the first page of an internal bitmap; none for an external one. */
        public final Page sb_page;
        /** The first page holding bits (1 when the superblock takes page 0). */
        final int first_bits_page;

        BitmapStorage(int bitPages, boolean withSuperblock) {
            first_bits_page = withSuperblock ? 1 : 0;
            file_pages = first_bits_page + bitPages;
            filemap = new Page[file_pages];
            for (int i = 0; i < file_pages; i++) {
                filemap[i] = new Page(i);
            }
            filemap_attr = new int[file_pages];
            sb_page = withSuperblock ? filemap[0] : null;
        }
    }

    public static final int CHUNKS_PER_PAGE = 64;

    private final String addr;
    public final Mddev mddev;
    /** bitmap_counts: the bitmap_counter_t of each chunk (2 after a write, 1 then 0 as the daemon ages it). */
    public final int[] bmc;
    /** Sectors per chunk, as a shift. */
    public final int chunkshift;
    public final BitmapStorage storage;
    public final AtomicInteger pending_writes = new AtomicInteger();
    public final WaitQueueHead write_wait;
    public volatile long daemon_lastrun;
    public boolean allclean;
    public boolean need_sync;
    public volatile int flags;
    /** kfree'd by md_bitmap_free. */
    public volatile boolean freed;

    Bitmap(Kernel kernel, Mddev mddev, int chunks, int chunkshift, boolean withSuperblock) {
        this.addr = kernel.kmem_addr(0x1a0);
        this.mddev = mddev;
        this.bmc = new int[chunks];
        this.chunkshift = chunkshift;
        this.storage = new BitmapStorage((chunks + CHUNKS_PER_PAGE - 1) / CHUNKS_PER_PAGE, withSuperblock);
        this.write_wait = new WaitQueueHead(kernel, "bitmap write_wait");
    }

    /** %p. */
    @Override
    public String toString() {
        return addr;
    }
}
