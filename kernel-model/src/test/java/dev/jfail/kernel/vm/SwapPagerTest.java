package dev.jfail.kernel.vm;

import dev.jfail.kernel.kern.Errno;
import dev.jfail.kernel.kern.Kernel;
import dev.jfail.kernel.kern.KernelPanic;
import dev.jfail.kernel.nfsclient.NfsClient;
import dev.jfail.kernel.vfs.DeadVnodeops;
import dev.jfail.kernel.vfs.VfsMount;
import dev.jfail.kernel.vfs.VfsSubr;
import dev.jfail.kernel.vfs.Vnode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;

import static dev.jfail.kernel.vm.VmObject.VM_OBJECT_WLOCK;
import static dev.jfail.kernel.vm.VmObject.VM_OBJECT_WUNLOCK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Swap to a file on NFS, step by step on the test's thread. */
@Timeout(20)
class SwapPagerTest {

    private static Kernel boot(String... patches) {
        return new Kernel(Kernel.Config.freebsd().patched(patches).timeLimit(Duration.ofSeconds(10)));
    }

    /** /nfs/swapfile as swap, and an object whose pages were swapped out to it. */
    private record SwapOnNfs(Vnode swapfile, VmObject object) {
    }

    /** Mounts /nfs, swaps on /nfs/swapfile and swaps {@code n} pages of a new object out to it. */
    private static SwapOnNfs swapOnNfs(Kernel k, int n) {
        Vnode swapfile = NfsClient.nfscl_nget(NfsClient.nfs_mount(k, "/nfs"), "swapfile");
        SwapPager.swaponvp(k, swapfile, 64);
        VmObject object = VmObject.vm_object_allocate(k, VmObject.OBJT_SWAP, n);
        VM_OBJECT_WLOCK(object);
        for (int i = 0; i < n; i++) {
            VmPage m = VmPage.vm_page_alloc(object, i, VmPage.VM_ALLOC_NORMAL);
            VmPage.vm_page_valid(m, 100 + i);
            assertEquals(VmPager.VM_PAGER_OK, SwapPager.swap_pager_putpages(object, m));
            VmPage.vm_page_free(m);
        }
        VM_OBJECT_WUNLOCK(object);
        return new SwapOnNfs(swapfile, object);
    }

    @Test
    void a_page_swapped_out_to_the_nfs_file_comes_back_with_its_data() {
        Kernel k = boot();
        SwapOnNfs swap = swapOnNfs(k, 2);
        Vnode swapfile = swap.swapfile();
        VmObject object = swap.object();
        assertEquals(List.of(100L, 101L), swapfile.v_filedata, "the server holds the pages");
        assertEquals(2, object.swblks.size());

        VM_OBJECT_WLOCK(object);
        VmPage m = VmPage.vm_page_alloc(object, 1, VmPage.VM_ALLOC_NORMAL);
        assertEquals(VmPager.VM_PAGER_OK, SwapPager.swap_pager_getpages_locked(object, m));
        assertTrue(VmPage.vm_page_all_valid(m));
        assertEquals(101L, m.data);
        k.shutdown(Duration.ofSeconds(2));
    }

    @Test
    void swapoff_pages_everything_in_frees_the_swap_and_lets_go_of_the_vnode() {
        Kernel k = boot();
        SwapOnNfs swap = swapOnNfs(k, 3);
        Vnode swapfile = swap.swapfile();
        VmObject object = swap.object();
        SwDevt sp = SwapPager.swtailq(k).get(0);
        assertEquals(3, sp.sw_used);

        SwapPager.swapoff_all(k);

        assertEquals(List.of(), SwapPager.swtailq(k));
        assertTrue(object.swblks.isEmpty());
        assertEquals(0, sp.sw_used);
        for (long i = 0; i < 3; i++) {
            VmPage m = object.memq.get(i);
            assertEquals(100 + i, m.data);
            assertTrue(VmPage.vm_page_all_valid(m) && m.dirty != 0, "resident, and dirty: its only copy");
        }
        assertEquals(0, swapfile.v_usecount, "swapdev_close dropped swap's reference");
        assertNull(k.fatal());
        k.shutdown(Duration.ofSeconds(2));
    }

    @Test
    void the_invariant_a_pagein_through_a_reclaimed_vnode_panics_in_bufstrategy_and_a_live_one_does_not() {
        Kernel k = boot();
        SwapOnNfs swap = swapOnNfs(k, 1);
        Vnode swapfile = swap.swapfile();
        VmObject object = swap.object();
        VM_OBJECT_WLOCK(object);
        VmPage live = VmPage.vm_page_alloc(object, 0, VmPage.VM_ALLOC_NORMAL);
        assertEquals(VmPager.VM_PAGER_OK, SwapPager.swap_pager_getpages_locked(object, live));
        assertNull(k.fatal());

        VfsSubr.vgone(swapfile);
        assertSame(DeadVnodeops.dead_vnodeops, swapfile.v_op);
        VM_OBJECT_WLOCK(object);
        VmPage.vm_page_xunbusy(live);
        VmPage.vm_page_free(live);
        VmPage dead = VmPage.vm_page_alloc(object, 0, VmPage.VM_ALLOC_NORMAL);
        KernelPanic p = assertThrows(KernelPanic.class, () -> SwapPager.swap_pager_getpages_locked(object, dead));
        assertTrue(p.getMessage().startsWith("VOP_STRATEGY failed bp=0x"), p.getMessage());
        assertTrue(p.getMessage().endsWith(" vp=0"), p.getMessage());
        assertTrue(k.console().contains("No strategy for buffer at "), k.console());
        k.shutdown(Duration.ofSeconds(2));
    }

    @Test
    void with_our_fix_a_pagein_through_a_reclaimed_vnode_fails_with_enxio_and_swapoff_keeps_the_device() {
        Kernel k = boot(SwapPager.FIX_DOOMED_SWAP_VNODE);
        SwapOnNfs swap = swapOnNfs(k, 2);
        Vnode swapfile = swap.swapfile();
        VmObject object = swap.object();
        VfsSubr.vgone(swapfile);

        SwapPager.swapoff_all(k);

        assertNull(k.fatal());
        assertTrue(k.console().contains("swap_pager: I/O error - pagein failed; blkno 0,size 4096, error "
                + Errno.ENXIO), k.console());
        assertTrue(k.console().contains("Cannot remove swap device [file] (error=6), skipping."), k.console());
        SwDevt sp = SwapPager.swtailq(k).get(0);
        assertEquals(0, sp.sw_flags & SwDevt.SW_CLOSING, "SW_CLOSING undone");
        assertEquals(2, object.swblks.size(), "the pages are still in swap, not lost");
        assertFalse(k.console().contains("No strategy"), k.console());
        k.shutdown(Duration.ofSeconds(2));
    }

    @Test
    void a_forced_unmount_waits_for_the_renew_thread_and_reclaims_vnodes_in_use() {
        Kernel k = boot();
        NfsClient.NfsMount nmp = NfsClient.nfs_mount(k, "/nfs");
        Vnode inUse = NfsClient.nfscl_nget(nmp, "swapfile");
        Vnode cached = NfsClient.nfscl_nget(nmp, "home.tar");
        VfsSubr.vrele(cached);

        assertEquals(Errno.EBUSY, VfsMount.vflush(nmp.mp, 0, 0), "without FORCECLOSE a vnode in use is busy");
        assertTrue(Vnode.VN_IS_DOOMED(cached));
        assertFalse(Vnode.VN_IS_DOOMED(inUse));

        assertEquals(0, VfsMount.sys_unmount(k, "/nfs", VfsMount.MNT_FORCE));
        assertEquals(0, nmp.nfsc_flags & NfsClient.NFSCLFLAGS_HASTHREAD, "nfscl_umount waited for the renew thread");
        assertTrue(k.join(List.of(nmp.renewThread), Duration.ofSeconds(5)), "which exits");
        assertTrue(Vnode.VN_IS_DOOMED(inUse));
        assertEquals(Vnode.VBAD, inUse.v_type);
        assertFalse(VfsMount.mounted(nmp.mp));
        assertEquals(Errno.EINVAL, VfsMount.sys_unmount(k, "/nfs", VfsMount.MNT_FORCE));
        k.shutdown(Duration.ofSeconds(2));
    }
}
