package dev.jfail.kernel.vm;

import java.util.ArrayList;
import java.util.Map;

/**
 * The metadata side of vm/swap_pager.c: which pages of an object live in which swap blocks
 * ({@link VmObject#swblks}). Swap devices, swap I/O and swapoff live in the .swap package.
 */
public final class SwapPager {

    private SwapPager() {
    }

    /** swap_pager_haspage: whether swap holds page {@code pindex} of the object (object locked). */
    public static boolean swap_pager_haspage(VmObject object, long pindex, int[] before, int[] after) {
        boolean has = object.swblks.containsKey(pindex);
        if (has) {
            if (before != null) {
                before[0] = 0;
            }
            if (after != null) {
                after[0] = 0;
            }
        }
        return has;
    }

    /** swp_pager_meta_build: records that page {@code pindex} is in swap block {@code blk}, holding {@code data}. */
    public static void swp_pager_meta_build(VmObject object, long pindex, long blk, long data) {
        object.swblks.put(pindex, new SwBlk(blk, data));
    }

    /** swap_pager_freespace: frees the swap of pages [start, start+size) of the object. */
    public static void swap_pager_freespace(VmObject object, long start, long size) {
        object.swblks.subMap(start, start + size).clear();
    }

    /**
     * swap_pager_copy: moves the swap of {@code src} into {@code dst} shifted down by {@code offset}
     * pages; a block whose page {@code dst} already has (resident or in swap) is freed instead.
     * Both objects locked.
     */
    public static void swap_pager_copy(VmObject src, VmObject dst, long offset, boolean destroysource) {
        for (Map.Entry<Long, SwBlk> e : new ArrayList<>(src.swblks.entrySet())) {
            long pindex = e.getKey() - offset;
            src.swblks.remove(e.getKey());
            if (pindex < 0 || pindex >= dst.size) {
                continue;
            }
            if (!dst.swblks.containsKey(pindex)) {
                dst.swblks.put(pindex, e.getValue());
            }
        }
        if (destroysource) {
            src.swblks.clear();
        }
        dst.type = VmObject.OBJT_SWAP;
    }
}
