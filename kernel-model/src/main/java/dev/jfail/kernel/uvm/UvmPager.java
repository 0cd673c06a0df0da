package dev.jfail.kernel.uvm;

import dev.jfail.kernel.vm.VmObject;
import dev.jfail.kernel.vm.VmPage;
import dev.jfail.kernel.vm.VmPager;

/** sys/uvm/uvm_pager.c: uvm_pager_put, the way pages reach their object's pgo_put. */
public final class UvmPager {

    private UvmPager() {
    }

    /**
     * uvm_pager_put: the busy page {@code pg} of {@code uobj} (locked) goes to the pager (uvn_put).
     * With PGO_PDFREECLUST (the pagedaemon), a page written out is freed and a page that was not
     * is unbusied, still dirty; otherwise the caller disposes of the page.
     */
    public static int uvm_pager_put(VmObject uobj, VmPage pg, int flags) {
        int result = UvmVnode.uvn_put(uobj, new VmPage[] {pg}, 1, flags);
        if ((flags & UvmVnode.PGO_PDFREECLUST) != 0) {
            if (result == VmPager.VM_PAGER_OK) {
                pg.dirty = 0;
                VmPage.vm_page_free(pg);
            } else if (VmPage.vm_page_xbusied_by_curthread(pg)) {
                VmPage.vm_page_xunbusy(pg);
            }
        }
        return result;
    }
}
