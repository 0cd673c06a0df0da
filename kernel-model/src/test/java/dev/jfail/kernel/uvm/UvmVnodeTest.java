package dev.jfail.kernel.uvm;

import dev.jfail.kernel.kern.Errno;
import dev.jfail.kernel.kern.KThread;
import dev.jfail.kernel.kern.Kernel;
import dev.jfail.kernel.kern.KernelPanic;
import dev.jfail.kernel.kern.SleepLock;
import dev.jfail.kernel.vfs.DeadVnodeops;
import dev.jfail.kernel.vfs.Mount;
import dev.jfail.kernel.vfs.ObsdVfsSubr;
import dev.jfail.kernel.vfs.VfsSubr;
import dev.jfail.kernel.vfs.Vnode;
import dev.jfail.kernel.vm.VmObject;
import dev.jfail.kernel.vm.VmPage;
import dev.jfail.kernel.vm.VmPageout;
import dev.jfail.kernel.vm.VmPager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.jfail.kernel.vm.VmObject.VM_OBJECT_WLOCK;
import static dev.jfail.kernel.vm.VmObject.VM_OBJECT_WUNLOCK;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The OpenBSD model step by step, on the test's thread holding the kernel lock. */
@Timeout(20)
class UvmVnodeTest {

    private final List<Kernel> kernels = new ArrayList<>();

    private Kernel boot(String... patches) {
        Kernel k = new Kernel(Kernel.Config.freebsd().flavor(Kernel.Flavor.OPENBSD).patched(patches)
                .timeLimit(Duration.ofSeconds(10)));
        kernels.add(k);
        KernelLock.KERNEL_LOCK(k);
        return k;
    }

    @AfterEach
    void stop() {
        kernels.forEach(k -> k.shutdown(Duration.ofSeconds(2)));
    }

    /** A file of {@code n} pages mapped, written through the mapping, unmapped and closed: free, its object persisting dirty. */
    private static Vnode persistingDirty(Kernel k, Mount mp, int ino, int n) {
        Vnode vp = Ffs.ffs_vget(mp, ino);
        VmObject uobj = UvmVnode.uvn_attach(vp, (long) n * VmPage.PAGE_SIZE);
        VM_OBJECT_WLOCK(uobj);
        for (int i = 0; i < n; i++) {
            VmPage m = VmPage.vm_page_alloc(uobj, i, VmPage.VM_ALLOC_NOBUSY);
            VmPage.vm_page_valid(m, 1000 * ino + i);
            VmPage.vm_page_dirty(m);
        }
        VM_OBJECT_WUNLOCK(uobj);
        UvmVnode.uvn_detach(uobj);
        Ffs.sys_close(vp);
        return vp;
    }

    @Test
    void a_persisting_object_keeps_its_dirty_pages_and_its_vnode_goes_to_the_free_list() {
        Kernel k = boot(UvmVnode.UVM_VNODE_1_132);
        Mount mp = Ffs.ffs_mount(k, "/usr/obj");
        Vnode vp = persistingDirty(k, mp, 5, 2);
        UvmVnode uvn = UvmVnode.v_uvm(vp);
        assertEquals(0, vp.v_usecount);
        assertTrue(VfsSubr.freelist(k).contains(vp));
        assertEquals(0, uvn.u_obj.ref_count);
        assertTrue((uvn.u_flags & UvmVnode.UVM_VNODE_VALID) != 0);
        assertEquals(2, uvn.u_obj.resident_page_count);
        assertTrue(VmPageout.inactiveQueue(k).containsAll(uvn.u_obj.memq.values()), "deactivated");
        assertTrue(uvn.u_obj.memq.values().stream().allMatch(m -> m.dirty != 0));
    }

    @Test
    void recycling_with_1_132_writes_the_dirty_pages_out_and_leaves_a_dead_vnode() {
        Kernel k = boot(UvmVnode.UVM_VNODE_1_132);
        ObsdVfsSubr.set_maxvnodes(k, 1);
        Mount mp = Ffs.ffs_mount(k, "/usr/obj");
        Vnode vp = persistingDirty(k, mp, 5, 2);
        UvmVnode uvn = UvmVnode.v_uvm(vp);

        Vnode recycled = Ffs.sys_open(mp, "stamp", 7);

        assertSame(vp, recycled, "the only free vnode is recycled");
        assertEquals(1000L * 5, Ffs.disk_block(k, 5, 0));
        assertEquals(1000L * 5 + 1, Ffs.disk_block(k, 5, 1));
        assertEquals(0, uvn.u_obj.resident_page_count);
        assertEquals(0, uvn.u_flags);
        assertEquals(0, recycled.v_flag & Vnode.VXLOCK);
        assertEquals(new Ffs.Inode(7), recycled.v_data);
        assertNull(k.fatal());
    }

    @Test
    void recycling_with_vget_nowait_cannot_write_the_dirty_pages_the_recycler_holds_vxlock_itself() {
        assertEquals("uvn_flush: PGO_SYNCIO return 'try again' error (impossible)",
                panicRecyclingADirtyPersistingVnode(UvmVnode.UVN_PUT_VGET_NOWAIT).getMessage());
    }

    /** One vnode allowed: opening another recycles the persisting one whose pages are dirty. */
    private KernelPanic panicRecyclingADirtyPersistingVnode(String attempt) {
        Kernel k = boot(attempt);
        ObsdVfsSubr.set_maxvnodes(k, 1);
        Mount mp = Ffs.ffs_mount(k, "/usr/obj");
        persistingDirty(k, mp, 5, 1);
        return assertThrows(KernelPanic.class, () -> Ffs.sys_open(mp, "stamp", 7));
    }

    @Test
    void the_original_pageout_of_an_unused_vnodes_persisting_object_panics_in_ffs_writes_vref() {
        Kernel k = boot();
        Mount mp = Ffs.ffs_mount(k, "/usr/obj");
        Vnode file = persistingDirty(k, mp, 6, 1);
        assertEquals(0, file.v_usecount, "closed: only the persisting object remembers it");
        VmObject uobj = UvmVnode.v_uvm(file).u_obj;
        VM_OBJECT_WLOCK(uobj);
        VmPage m = uobj.memq.get(0L);
        VmPage.vm_page_xbusy(m);
        KernelPanic p = assertThrows(KernelPanic.class, () -> UvmPager.uvm_pager_put(uobj, m, UvmVnode.PGO_PDFREECLUST));
        assertEquals("vref used where vget required", p.getMessage());
    }

    @Test
    void uvm_vnp_uncache_of_a_mapped_object_only_stops_it_persisting() {
        Kernel k = boot();
        Mount mp = Ffs.ffs_mount(k, "/usr/obj");
        Vnode vp = Ffs.ffs_vget(mp, 5);
        VmObject uobj = UvmVnode.uvn_attach(vp, VmPage.PAGE_SIZE);
        UvmVnode uvn = UvmVnode.v_uvm(vp);
        assertNotEquals(0, uvn.u_flags & UvmVnode.UVM_VNODE_CANPERSIST);
        assertFalse(UvmVnode.uvm_vnp_uncache(vp));
        assertEquals(0, uvn.u_flags & UvmVnode.UVM_VNODE_CANPERSIST);
        assertEquals(1, uobj.ref_count);
        assertNull(k.fatal());
    }

    @Test
    void the_original_pageout_of_a_referenced_vnode_is_fine_and_frees_the_page() {
        Kernel k = boot();
        Mount mp = Ffs.ffs_mount(k, "/usr/obj");
        Vnode vp = Ffs.ffs_vget(mp, 5);
        VmObject uobj = UvmVnode.uvn_attach(vp, VmPage.PAGE_SIZE);
        VM_OBJECT_WLOCK(uobj);
        VmPage m = VmPage.vm_page_alloc(uobj, 0, VmPage.VM_ALLOC_NOBUSY);
        VmPage.vm_page_valid(m, 42);
        VmPage.vm_page_dirty(m);
        VmPage.vm_page_xbusy(m);
        assertEquals(VmPager.VM_PAGER_OK, UvmPager.uvm_pager_put(uobj, m, UvmVnode.PGO_PDFREECLUST));
        VM_OBJECT_WUNLOCK(uobj);
        assertEquals(42L, Ffs.disk_block(k, 5, 0));
        assertTrue(m.freed);
        assertNull(k.fatal());
    }

    @Test
    void while_a_vnode_is_cleaned_vget_nowait_is_busy_and_vn_lock_waits_then_fails() {
        Kernel k = boot();
        Mount mp = Ffs.ffs_mount(k, "/usr/obj");
        Vnode vp = Ffs.ffs_vget(mp, 5);
        Vnode.VI_LOCK(vp);
        vp.v_flag |= Vnode.VXLOCK;
        Vnode.VI_UNLOCK(vp);
        assertEquals(Errno.EBUSY, VfsSubr.vget(vp, SleepLock.LK_NOWAIT));

        List<Integer> result = new CopyOnWriteArrayList<>();
        KThread locker = k.kthread_add("locker", KernelLock.locked(k, () -> result.add(ObsdVfsSubr.vn_lock(vp, 0))));
        KernelLock.KERNEL_UNLOCK(k);
        await().atMost(Duration.ofSeconds(5)).until(() -> "vn_lock".equals(locker.wmesg()));
        KernelLock.KERNEL_LOCK(k);
        Vnode.VI_LOCK(vp);
        vp.v_flag &= ~Vnode.VXLOCK;
        Vnode.VI_UNLOCK(vp);
        KernelLock.KERNEL_UNLOCK(k);
        assertTrue(k.join(List.of(locker), Duration.ofSeconds(5)));
        assertEquals(List.of(Errno.ENOENT), result);
        assertFalse(vp.v_lock.locked());
        assertNull(k.fatal());
    }

    @Test
    void vclean_reclaims_the_node_and_gives_the_vnode_the_dead_ops() {
        Kernel k = boot(UvmVnode.UVM_VNODE_1_132);
        Mount mp = Ffs.ffs_mount(k, "/usr/obj");
        Vnode vp = persistingDirty(k, mp, 5, 1);
        assertTrue(VfsSubr.freelist_remove_first(k, v -> v == vp) == vp);
        ObsdVfsSubr.vgonel(vp);
        assertEquals(Vnode.VBAD, vp.v_type);
        assertSame(DeadVnodeops.dead_vnodeops, vp.v_op);
        assertNull(vp.v_data);
        assertEquals(0, vp.v_flag & (Vnode.VXLOCK | Vnode.VXWANT));
    }

    @Test
    void the_kernel_lock_serves_its_waiters_in_order_and_a_sleep_lets_them_run() {
        Kernel k = boot();
        List<String> order = new CopyOnWriteArrayList<>();
        KThread a = k.kthread_add("a", KernelLock.locked(k, () -> order.add("a")));
        await().atMost(Duration.ofSeconds(5)).until(() -> "kernel_lock".equals(a.wmesg()));
        KThread b = k.kthread_add("b", KernelLock.locked(k, () -> order.add("b")));
        await().atMost(Duration.ofSeconds(5)).until(() -> "kernel_lock".equals(b.wmesg()));
        KernelLock.sleep(k, null, "test", () -> order.size() == 2);
        assertEquals(List.of("a", "b"), order, "a took its ticket first");
        assertTrue(k.join(List.of(a, b), Duration.ofSeconds(5)));
        assertNull(k.fatal());
    }
}
