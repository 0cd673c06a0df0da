package dev.jfail.kernel.md;

import dev.jfail.kernel.kern.Kernel;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * struct block_device of a disk under md ({@code sda}, {@code sdb}): a name and what is on the
 * platter, sector by sector (a data tag per written sector), so a test can see what reached it.
 */
public final class BlockDevice {
    private final Kernel kernel;
    public final String bd_name;
    final Map<Long, Long> sectors = new ConcurrentHashMap<>();

    public BlockDevice(Kernel kernel, String name) {
        this.kernel = kernel;
        this.bd_name = name;
    }

    public Kernel kernel() {
        return kernel;
    }

    /** What the disk holds at {@code sector}, or null if it was never written. */
    public Long sector(long sector) {
        return sectors.get(sector);
    }

    @Override
    public String toString() {
        return bd_name;
    }
}
