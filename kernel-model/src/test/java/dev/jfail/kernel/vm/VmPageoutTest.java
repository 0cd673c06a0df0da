package dev.jfail.kernel.vm;

import dev.jfail.kernel.kern.KThread;
import dev.jfail.kernel.kern.Kernel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;

import static dev.jfail.kernel.vm.VmObject.VM_OBJECT_WLOCK;
import static dev.jfail.kernel.vm.VmObject.VM_OBJECT_WUNLOCK;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** VM_WAIT and the pagedaemon: a thread short of memory wakes the pagedaemon and goes on after its pass. */
@Timeout(20)
class VmPageoutTest {

    private final Kernel k = new Kernel(Kernel.Config.freebsd().timeLimit(Duration.ofSeconds(10)));

    @AfterEach
    void stop() {
        assertTrue(k.shutdown(Duration.ofSeconds(2)).isEmpty(), "every thread stops with the kernel");
    }

    /** A clean, unbusied page on the inactive queue: what a pass frees. */
    private VmPage inactivePage(VmObject obj, long pindex) {
        VM_OBJECT_WLOCK(obj);
        try {
            VmPage m = VmPage.vm_page_alloc(obj, pindex, VmPage.VM_ALLOC_NORMAL);
            VmPage.vm_page_valid(m, 42);
            VmPage.vm_page_xunbusy(m);
            VmPageout.vm_page_deactivate(m);
            return m;
        } finally {
            VM_OBJECT_WUNLOCK(obj);
        }
    }

    @Test
    void vm_wait_wakes_the_pagedaemon_and_returns_once_its_pass_has_freed_the_inactive_pages() {
        KThread pagedaemon = VmPageout.vm_pageout(k, 8);
        await().atMost(Duration.ofSeconds(5)).until(() -> "psleep".equals(pagedaemon.wmesg()));
        VmObject obj = VmObject.vm_object_allocate(k, VmObject.OBJT_DEFAULT, 4);
        VmPage m = inactivePage(obj, 0);

        KThread waiter = k.uthread_add("make", 812, () -> VmPageout.vm_wait(k));

        assertTrue(k.join(List.of(waiter), Duration.ofSeconds(5)), "VM_WAIT returned");
        assertTrue(m.freed, "it returned after the pagedaemon's pass, which freed the page");
        assertEquals(List.of(), VmPageout.inactiveQueue(k));
    }

    @Test
    void without_a_pagedaemon_vm_wait_sleeps_a_tick_and_returns() {
        VmObject obj = VmObject.vm_object_allocate(k, VmObject.OBJT_DEFAULT, 4);
        VmPage m = inactivePage(obj, 0);

        KThread waiter = k.uthread_add("make", 812, () -> VmPageout.vm_wait(k));

        assertTrue(k.join(List.of(waiter), Duration.ofSeconds(5)), "VM_WAIT returned");
        assertEquals(List.of(m), VmPageout.inactiveQueue(k), "nothing ran a pass");
    }
}
