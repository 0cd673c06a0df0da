package dev.jfail.kernel.vm;

/**
 * A swap block holding one page of an object (swap_pager.c's swblk entry): the block number on
 * the swap device and, standing for the bytes written there, the page's data tag.
 */
public record SwBlk(long blk, long data) {
}
