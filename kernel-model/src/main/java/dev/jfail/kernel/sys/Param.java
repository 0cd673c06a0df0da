package dev.jfail.kernel.sys;

/** Models sys/param.h: the constants every subsystem shares. */
public final class Param {

    /** The size of a disk block, the unit of b_blkno. */
    public static final int DEV_BSIZE = 512;

    private Param() {
    }
}
