package dev.jfail.kernel.md;

import dev.jfail.kernel.kern.Kernel;

import java.util.function.Consumer;

/**
 * struct bio (include/linux/blk_types.h): one block I/O, its target, its page and its
 * completion {@code bi_end_io}, called by {@link Blk#bio_endio} on the completion thread.
 */
public final class Bio {
    // bi_opf
    public static final int REQ_OP_WRITE = 1;
    public static final int REQ_SYNC = 1 << 11;
    public static final int REQ_PREFLUSH = 1 << 18;
    public static final int REQ_FUA = 1 << 17;

    private final String addr;
    public BlockDevice bi_bdev;
    public int bi_opf;
    /** bi_iter.bi_sector. */
    public long bi_sector;
    /** bi_iter.bi_size, bytes. */
    public int bi_size;
    /** The data written: the contents of the page (a tag the disk keeps). */
    public long bi_data;
    /** blk_status_t; 0 is BLK_STS_OK. */
    public int bi_status;
    public Object bi_private;
    public Consumer<Bio> bi_end_io;

    public Bio(Kernel kernel) {
        this.addr = kernel.kmem_addr(0x88);
    }

    /** %p. */
    @Override
    public String toString() {
        return addr;
    }
}
