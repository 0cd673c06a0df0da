package dev.jfail.kernel.sendfile;

import dev.jfail.FailPoint;
import dev.jfail.kernel.kern.Kernel;
import dev.jfail.kernel.kern.KernelPanic;
import dev.jfail.kernel.vfs.Vnode;
import dev.jfail.kernel.vm.VmObject;
import dev.jfail.kernel.vm.VmPage;
import dev.jfail.kernel.vm.VmPager;

import java.util.Arrays;

import static dev.jfail.kernel.vm.VmObject.VM_OBJECT_WLOCK;
import static dev.jfail.kernel.vm.VmObject.VM_OBJECT_WUNLOCK;
import static dev.jfail.kernel.vm.VmPage.vm_page_all_valid;
import static dev.jfail.kernel.vm.VmPage.vm_page_xunbusy;

/**
 * kern/kern_sendfile.c as comment 70 of bug 246886 describes it (after r337165): vn_sendfile and
 * sendfile_swapin. sendfile_swapin grabs the whole range exclusive-busy and wired, unbusies the valid pages, and for each invalid page asks
 * the pager how long a run one read can bring ({@code vm_pager_has_page}'s "after"), then:
 * <ul>
 * <li>buggy (bug 246886): trims the valid pages off the run's end but leaves them exclusive-busy
 * until the loop reaches them; the pager (synchronous for FUSE/NFS) reads the whole f_iosize
 * block and sleeps on those very pages: the thread waits for itself;</li>
 * <li>fixed, patch "r359473" (D24038, from FreeBSD's later history, not the report): the trim loop unbusies each valid page it trims off the
 * run's end (the one line the fix adds there), so no exclusive-busy page is left outside the run
 * handed to the pager; the loop then goes on after the trimmed pages.</li>
 * </ul>
 * {@code null} in the page array stands for bogus_page.
 */
public final class KernSendfile {
    public static final String R359473 = "r359473";

    /** struct sf_io: the pages of one sendfile request, and how its reads ended. */
    public static final class SfIo {
        public final VmPage[] pa;
        int nios;
        int error;

        SfIo(int npages) {
            pa = new VmPage[npages];
        }
    }

    private KernSendfile() {
    }

    /**
     * vn_sendfile: sends {@code npages} pages of {@code vp} from page {@code pindex}: pages them in
     * (sendfile_swapin), then "sends" them: returns the data of each page sent, in order.
     */
    public static long[] vn_sendfile(Vnode vp, long pindex, int npages) {
        VmObject obj = vp.v_object;
        SfIo sfio = new SfIo(npages);
        sendfile_swapin(obj, sfio, pindex, npages);
        long[] sent = new long[npages];
        VM_OBJECT_WLOCK(obj);
        try {
            for (int i = 0; i < npages; i++) {
                VmPage m = VmPage.vm_page_lookup(obj, pindex + i);
                sent[i] = m != null && vm_page_all_valid(m) ? m.data : -1;
                if (m != null && m.wire_count > 0) {
                    VmPage.vm_page_unwire(m); // the mbuf's reference ends (sf_ext_free)
                }
            }
        } finally {
            VM_OBJECT_WUNLOCK(obj);
        }
        return sent;
    }

    /** sendfile_swapin: pages the range in; returns the number of reads started. */
    static int sendfile_swapin(VmObject obj, SfIo sfio, long pindex, int npages) {
        Kernel k = obj.kernel();
        boolean fixed = k.patched(R359473);
        VmPage[] pa = sfio.pa;
        sendfile_swapin_pre_grab(k);
        VM_OBJECT_WLOCK(obj);
        int grabbed = VmPage.vm_page_grab_pages(obj, pindex, VmPage.VM_ALLOC_NORMAL | VmPage.VM_ALLOC_WIRED, pa, npages);
        VM_OBJECT_WUNLOCK(obj);
        k.modelCheck(grabbed == npages, "sendfile_swapin: grabbed %d of %d pages", grabbed, npages);
        for (int i = 0; i < npages; ) {
            if (pa[i] == null) { // bogus: a valid page left out of an earlier run
                i++;
                continue;
            }
            if (vm_page_all_valid(pa[i])) {
                vm_page_xunbusy(pa[i]);
                i++;
                continue;
            }
            int[] a = new int[1];
            VM_OBJECT_WLOCK(obj);
            boolean has = VmPager.vm_pager_has_page(obj, pa[i].pindex, null, a);
            VM_OBJECT_WUNLOCK(obj);
            if (!has) {
                VmPage.vm_page_valid(pa[i], 0); // a hole: zeroes
                vm_page_xunbusy(pa[i]);
                i++;
                continue;
            }
            int count = Math.min(a[0] + 1, npages - i);
            int count1 = count;
            // trim valid pages off the end of the run: buggy, they stay exclusive-busy until the
            // loop reaches them; r359473 unbusies them here
            for (int j = i + count - 1; j > i; j--) {
                if (vm_page_all_valid(pa[j])) {
                    if (fixed) {
                        vm_page_xunbusy(pa[j]);
                    }
                    count--;
                } else {
                    break;
                }
            }
            // valid pages inside the run become bogus
            for (int j = i + 1; j < i + count - 1; j++) {
                if (vm_page_all_valid(pa[j])) {
                    vm_page_xunbusy(pa[j]);
                    pa[j] = null;
                }
            }
            sfio.nios++;
            sendfile_swapin_pre_getpages(k);
            VmPage[] run = Arrays.copyOfRange(pa, i, i + count);
            int rv = VmPager.vm_pager_get_pages_async(obj, run, count, null, null, KernSendfile::sendfile_iodone, sfio);
            System.arraycopy(run, 0, pa, i, count);
            if (rv != VmPager.VM_PAGER_OK) {
                sfio.error = rv;
            }
            // r359473: the trimmed pages are unbusied already; buggy: the loop unbusies them next
            i += fixed ? count1 : count;
        }
        return sfio.nios;
    }

    /** sendfile_iodone: the run is in; its pages are unbusied for the mbufs to carry. */
    static void sendfile_iodone(Object arg, VmPage[] pg, int count, int error) {
        SfIo sfio = (SfIo) arg;
        if (error != 0) {
            sfio.error = error;
        }
        for (int i = 0; i < count; i++) {
            if (pg[i] != null) {
                vm_page_xunbusy(pg[i]);
            }
        }
    }

    /**
     * Failpoint (an ordering point for specs, not in FreeBSD): sendfile_swapin has not yet grabbed
     * the range; holding it here lets a spec have the pagedaemon evict part of a block first.
     */
    @FailPoint(value = "sendfile_swapin_pre_grab", panic = KernelPanic.class)
    static void sendfile_swapin_pre_grab(Kernel k) {
        // a point to inject at: it does nothing itself
    }

    /** Failpoint: sendfile_swapin is about to hand a run to the pager (vm_pager_get_pages_async). */
    @FailPoint(value = "sendfile_swapin_pre_getpages", panic = KernelPanic.class)
    static void sendfile_swapin_pre_getpages(Kernel k) {
        // a point to inject at: it does nothing itself
    }
}
