package dev.jfail.kernel.vm;

import dev.jfail.kernel.kern.KThread;
import dev.jfail.kernel.kern.Kernel;
import dev.jfail.kernel.kern.KernelPanic;
import dev.jfail.kernel.kern.KernelStopped;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dev.jfail.kernel.vm.VmObject.VM_OBJECT_WLOCK;
import static dev.jfail.kernel.vm.VmObject.VM_OBJECT_WUNLOCK;
import static dev.jfail.kernel.vm.VmPage.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(20)
class VmPageTest {

    private final Kernel k = new Kernel(Kernel.Config.freebsd().timeLimit(Duration.ofSeconds(10)));
    private final VmObject obj = VmObject.vm_object_allocate(k, VmObject.OBJT_DEFAULT, 16);

    private VmPage alloc(long pindex) {
        VM_OBJECT_WLOCK(obj);
        try {
            return vm_page_alloc(obj, pindex, VM_ALLOC_NORMAL);
        } finally {
            VM_OBJECT_WUNLOCK(obj);
        }
    }

    @Test
    void a_new_page_is_invalid_and_exclusive_busy_by_its_allocator() {
        VmPage m = alloc(3);
        assertTrue(vm_page_xbusied(m));
        assertTrue(vm_page_xbusied_by_curthread(m));
        assertFalse(vm_page_all_valid(m));
        VM_OBJECT_WLOCK(obj);
        assertSame(m, vm_page_lookup(obj, 3));
        VM_OBJECT_WUNLOCK(obj);
        assertFalse(vm_page_tryxbusy(m));
        assertFalse(vm_page_trysbusy(m));
    }

    @Test
    void busy_states_downgrade_share_and_upgrade() {
        VmPage m = alloc(0);
        vm_page_busy_downgrade(m);
        assertTrue(vm_page_sbusied(m));
        assertTrue(vm_page_trysbusy(m));
        assertFalse(vm_page_busy_tryupgrade(m), "two shared holds cannot upgrade");
        vm_page_sunbusy(m);
        assertTrue(vm_page_busy_tryupgrade(m));
        assertTrue(vm_page_xbusied(m));
        vm_page_xunbusy(m);
        assertFalse(vm_page_busied(m));
    }

    @Test
    void only_the_owner_may_xunbusy() {
        VmPage m = alloc(0);
        KThread other = k.kthread_add("other", () -> vm_page_xunbusy(m));
        k.join(List.of(other), Duration.ofSeconds(5));
        assertEquals(Kernel.FatalKind.PANIC, k.fatal().kind());
        assertTrue(k.fatal().message().contains("exclusive busy by another thread"), k.fatal().message());
        assertTrue(vm_page_xbusied(m));
    }

    @Test
    void grab_sleeps_on_a_busy_page_until_its_owner_unbusies_it() throws Exception {
        VmPage m = alloc(5);
        vm_page_valid(m, 42);
        CountDownLatch grabbed = new CountDownLatch(1);
        VmPage[] got = new VmPage[1];
        KThread grabber = k.kthread_add("grabber", () -> {
            VM_OBJECT_WLOCK(obj);
            got[0] = vm_page_grab(obj, 5, VM_ALLOC_NORMAL);
            VM_OBJECT_WUNLOCK(obj);
            grabbed.countDown();
        });
        assertFalse(grabbed.await(50, TimeUnit.MILLISECONDS), "grab must wait for the busy page");
        vm_page_xunbusy(m);
        assertTrue(grabbed.await(5, TimeUnit.SECONDS));
        assertSame(m, got[0]);
        k.join(List.of(grabber), Duration.ofSeconds(5));
        assertNull(k.fatal());
    }

    @Test
    void grabbing_a_page_you_hold_exclusive_busy_is_a_deadlock_reported_at_once() {
        VmPage m = alloc(7);
        VmPage[] ma = new VmPage[2];
        VM_OBJECT_WLOCK(obj);
        assertThrows(KernelStopped.class,
                () -> vm_page_grab_pages(obj, 6, VM_ALLOC_IGN_SBUSY | VM_ALLOC_NOBUSY | VM_ALLOC_WIRED, ma, 2));
        Kernel.Fatal f = k.fatal();
        assertEquals(Kernel.FatalKind.DEADLOCK, f.kind());
        assertTrue(f.report().contains("sleeps on \"grbmaw\" for page " + m), f.report());
        assertTrue(f.report().contains("which it holds exclusive-busy itself"), f.report());
        assertTrue(f.report().contains("model:   vm_page_grab_pages (VmPage.java:"), f.report());
    }

    @Test
    void ign_sbusy_grabs_through_a_shared_busy_page() {
        VmPage m = alloc(2);
        vm_page_busy_downgrade(m);
        VmPage[] ma = new VmPage[1];
        VM_OBJECT_WLOCK(obj);
        assertEquals(1, vm_page_grab_pages(obj, 2, VM_ALLOC_IGN_SBUSY | VM_ALLOC_NOBUSY | VM_ALLOC_WIRED, ma, 1));
        VM_OBJECT_WUNLOCK(obj);
        assertSame(m, ma[0]);
        assertEquals(1, m.wire_count);
    }

    @Test
    void freeing_a_mapped_page_panics() {
        VmPage m = alloc(1);
        Pmap pmap = new Pmap(k, "sh");
        Pmap.pmap_enter(pmap, 0x1000, m);
        VM_OBJECT_WLOCK(obj);
        KernelPanic p = assertThrows(KernelPanic.class, () -> vm_page_free(m));
        assertEquals("vm_page_free_toq: freeing mapped page " + m, p.getMessage());
    }

    @Test
    void freeing_an_unmapped_page_removes_it_and_wakes_its_waiters() {
        VmPage m = alloc(1);
        Pmap pmap = new Pmap(k, "sh");
        Pmap.pmap_enter(pmap, 0x1000, m);
        Pmap.pmap_remove(pmap, 0x1000);
        VM_OBJECT_WLOCK(obj);
        vm_page_free(m);
        assertNull(vm_page_lookup(obj, 1));
        VM_OBJECT_WUNLOCK(obj);
        assertTrue(m.freed);
        assertFalse(vm_page_busied(m));
    }

    @Test
    void rename_moves_the_page_and_can_fail_under_memory_pressure() {
        VmObject parent = VmObject.vm_object_allocate(k, VmObject.OBJT_DEFAULT, 16);
        VmPage m = alloc(4);
        vm_page_xunbusy(m);
        VM_OBJECT_WLOCK(parent);
        VM_OBJECT_WLOCK(obj);
        assertFalse(vm_page_rename(m, parent, 2));
        assertSame(m, vm_page_lookup(parent, 2));
        assertNull(vm_page_lookup(obj, 4));
        VM_OBJECT_WUNLOCK(obj);
        VM_OBJECT_WUNLOCK(parent);

        Kernel tight = new Kernel(Kernel.Config.freebsd().tunables(java.util.Map.of("vm.radix_node_nowait_fail_ppm", "1000000")));
        VmObject o = VmObject.vm_object_allocate(tight, VmObject.OBJT_DEFAULT, 4);
        VM_OBJECT_WLOCK(o);
        assertNull(vm_page_alloc(o, 0, VM_ALLOC_NORMAL));
        VM_OBJECT_WUNLOCK(o);
    }

    @Test
    void paging_in_progress_wakes_its_waiter_at_zero() throws Exception {
        VM_OBJECT_WLOCK(obj);
        VmObject.vm_object_pip_add(obj, 2);
        VM_OBJECT_WUNLOCK(obj);
        CountDownLatch drained = new CountDownLatch(1);
        KThread waiter = k.kthread_add("waiter", () -> {
            VM_OBJECT_WLOCK(obj);
            VmObject.vm_object_pip_wait(obj, "objde1");
            VM_OBJECT_WUNLOCK(obj);
            drained.countDown();
        });
        VM_OBJECT_WLOCK(obj);
        VmObject.vm_object_pip_wakeup(obj);
        VM_OBJECT_WUNLOCK(obj);
        assertFalse(drained.await(30, TimeUnit.MILLISECONDS));
        VM_OBJECT_WLOCK(obj);
        VmObject.vm_object_pip_wakeup(obj);
        VM_OBJECT_WUNLOCK(obj);
        assertTrue(drained.await(5, TimeUnit.SECONDS));
        k.join(List.of(waiter), Duration.ofSeconds(5));
        assertNull(k.fatal());
    }
}
