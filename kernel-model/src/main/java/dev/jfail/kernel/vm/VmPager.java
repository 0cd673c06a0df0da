package dev.jfail.kernel.vm;

import dev.jfail.kernel.vfs.VopVector;

/**
 * vm/vm_pager.c: the pager of an object by its type: does it have the page
 * ({@code vm_pager_has_page}, with how many pages around it one I/O can bring), and read pages in.
 */
public final class VmPager {
    public static final int VM_PAGER_OK = 0;
    public static final int VM_PAGER_BAD = 1;
    public static final int VM_PAGER_FAIL = 2;
    public static final int VM_PAGER_PEND = 3;
    public static final int VM_PAGER_ERROR = 4;
    public static final int VM_PAGER_AGAIN = 5;

    private VmPager() {
    }

    /**
     * vm_pager_has_page: whether the object's pager holds page {@code pindex}; {@code before[0]} /
     * {@code after[0]} (when not null) get how many pages before/after it one read can bring.
     */
    public static boolean vm_pager_has_page(VmObject object, long pindex, int[] before, int[] after) {
        return switch (object.type) {
            case VmObject.OBJT_SWAP -> SwapPager.swap_pager_haspage(object, pindex, before, after);
            case VmObject.OBJT_VNODE -> VnodePager.vnode_pager_haspage(object, pindex, before, after);
            default -> false;
        };
    }

    /** vm_pager_get_pages_async: reads {@code ma[0..count)} in and calls {@code iodone} when done. */
    public static int vm_pager_get_pages_async(VmObject object, VmPage[] ma, int count, int[] rbehind,
                                               int[] rahead, VopVector.GetpagesIodone iodone, Object arg) {
        if (object.type == VmObject.OBJT_VNODE) {
            return VnodePager.vnode_pager_getpages_async(object, ma, count, rbehind, rahead, iodone, arg);
        }
        object.kernel().modelCheck(false, "vm_pager_get_pages_async: pager of type %d not modelled", object.type);
        return VM_PAGER_ERROR;
    }
}
