package dev.jfail.kernel.md;

/**
 * struct page as md uses it: a page of memory with its index in what it caches (a bitmap page,
 * a superblock) and its contents — a tag standing for the bytes (for the bitmap: its bits, one per
 * chunk, {@link Bitmap#CHUNKS_PER_PAGE} chunks a page).
 */
public final class Page {
    public final int index;
    public volatile long data;

    public Page(int index) {
        this.index = index;
    }
}
