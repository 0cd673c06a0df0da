package dev.jfail.kernel.race;

import dev.jfail.kernel.kern.KThread;
import dev.jfail.kernel.kern.Kernel;
import dev.jfail.kernel.vm.SwapPager;
import dev.jfail.kernel.vm.VmFault;
import dev.jfail.kernel.vm.VmObject;
import dev.jfail.kernel.vm.VmObjectCollapse;
import dev.jfail.kernel.vm.VmPage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.jfail.kernel.vm.VmObject.VM_OBJECT_WLOCK;
import static dev.jfail.kernel.vm.VmObject.VM_OBJECT_WUNLOCK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Race 1 driven by hand: the hooks at the failpoint sites force D4103's interleaving
 * deterministically (no agent needed): the collapse's rename fails once, its VM_WAIT lasts until
 * the fault sits in unlock_and_deallocate's relock window, and the fault stays there until the
 * collapse has either freed the page (buggy) or gone to sleep on the placeholder (fixed).
 */
@Timeout(30)
class CollapseRaceTest {

    private static Kernel boot(boolean fixed, boolean invariants) {
        Kernel.Config c = Kernel.Config.freebsd().timeLimit(Duration.ofSeconds(10)).invariants(invariants);
        return new Kernel(fixed ? c.patched(VmObjectCollapse.R291576) : c);
    }

    /** Runs the child's exit and one write fault on pindex 1 through D4103's interleaving. */
    private static CollapseRace.Workload interleave(Kernel k) {
        CollapseRace.Workload w = new CollapseRace.Workload(k, CollapseRace.Params.defaults());
        w.setup();
        CountDownLatch collapseWaits = new CountDownLatch(1);
        CountDownLatch faultInWindow = new CountDownLatch(1);
        AtomicInteger renames = new AtomicInteger();
        k.hooks().on("vmob_scan_rename_unlock", () -> renames.getAndIncrement() == 0);
        k.hooks().on("vm_wait", () -> {
            collapseWaits.countDown();
            await(faultInWindow);
        });
        KThread[] collapse = new KThread[1];
        k.hooks().on("unlock_and_deallocate_relock", () -> {
            faultInWindow.countDown();
            awaitUntil(() -> k.stopped() || collapse[0].exited() || "vmocol".equals(collapse[0].wmesg()));
        });
        collapse[0] = k.uthread_add("sh", 813, w::vmspace_exit);
        KThread fault = k.uthread_add("make", 812, () -> {
            await(collapseWaits);
            VmFault.vm_fault_hold(w.map, w.va(1), VmFault.VM_PROT_WRITE, 7777);
        });
        k.join(List.of(collapse[0], fault), Duration.ofSeconds(10));
        return w;
    }

    @Test
    void buggy_the_restarted_scan_frees_the_mapped_backing_page() {
        Kernel k = boot(false, true);
        interleave(k);
        Kernel.Fatal f = k.fatal();
        assertEquals(Kernel.FatalKind.PANIC, f == null ? null : f.kind(), String.valueOf(f));
        assertTrue(f.message().startsWith("freeing mapped page 0x"), f.message());
        assertTrue(f.report().contains("vm_object_backing_scan() at vm_object_backing_scan"), f.report());
        assertTrue(f.report().contains("vm_object_collapse() at vm_object_collapse"), f.report());
        assertTrue(f.report().contains("vm_object_deallocate() at vm_object_deallocate"), f.report());
        assertTrue(k.shutdown(Duration.ofSeconds(2)).isEmpty());
    }

    @Test
    void buggy_without_invariants_the_data_of_a_mapped_page_is_lost() {
        Kernel k = boot(false, false);
        CollapseRace.Workload w = interleave(k);
        assertNull(k.fatal());
        String loss = w.finalCheck().orElse("");
        assertTrue(loss.contains("was freed"), loss);
        k.shutdown(Duration.ofSeconds(2));
    }

    @Test
    void fixed_the_scan_waits_for_the_placeholder_and_no_data_is_lost() {
        Kernel k = boot(true, true);
        CollapseRace.Workload w = interleave(k);
        assertNull(k.fatal(), () -> k.fatal().report());
        assertEquals(null, w.parent.backing_object, "B was collapsed into P");
        assertEquals(VmObject.OBJT_DEAD, w.backing.type);
        assertEquals(java.util.Optional.empty(), w.finalCheck());
        assertTrue(k.shutdown(Duration.ofSeconds(2)).isEmpty());
    }

    @Test
    void without_a_rename_failure_collapse_and_faults_do_not_race() {
        for (String variant : List.of("buggy", "fixed")) {
            RunResult r = new CollapseRace().runOnce(variant,
                    new RunContext(Duration.ofSeconds(10), Map.of("radix_fail_ppm", "0")));
            assertEquals(RunResult.Kind.SURVIVED, r.kind(), r.report());
        }
    }

    @Test
    void a_backing_object_re_referenced_during_collapse_trips_the_kassert() {
        Kernel k = boot(true, true);
        CollapseRace.Workload w = new CollapseRace.Workload(k, CollapseRace.Params.defaults());
        w.setup();
        k.hooks().on("vmob_scan_rename_unlock", () -> {
            w.backing.ref_count++; // someone references B while it is being collapsed
            return false;
        });
        KThread exit = k.uthread_add("sh", 813, w::vmspace_exit);
        k.join(List.of(exit), Duration.ofSeconds(10));
        assertTrue(k.fatal().message().matches("backing_object 0x[0-9a-f]+ was somehow re-referenced during collapse!"),
                k.fatal().message());
    }

    @Test
    void nowait_scan_buggy_frees_the_swap_of_a_page_the_parent_has_not_filled_yet() {
        for (boolean fixed : new boolean[] {false, true}) {
            Kernel k = boot(fixed, true);
            VmObject b = VmObject.vm_object_allocate(k, VmObject.OBJT_SWAP, 4);
            VmObject p = VmObject.vm_object_shadow(b, 0, 4);
            VM_OBJECT_WLOCK(p);
            VM_OBJECT_WLOCK(b);
            VmPage shadow = VmPage.vm_page_alloc(b, 2, VmPage.VM_ALLOC_NORMAL);
            VmPage.vm_page_valid(shadow, 42);
            VmPage.vm_page_xunbusy(shadow);
            SwapPager.swp_pager_meta_build(b, 2, 0x77, 42);
            VmPage invalid = VmPage.vm_page_alloc(p, 2, VmPage.VM_ALLOC_NORMAL); // vm_fault's busy placeholder
            VmObjectCollapse.vm_object_backing_scan(p, VmObjectCollapse.OBSC_COLLAPSE_NOWAIT);
            assertFalse(invalid.valid != 0);
            assertEquals(!fixed, b.swblks.isEmpty(), fixed ? "fixed keeps the swap" : "buggy frees the swap");
            VM_OBJECT_WUNLOCK(b);
            VM_OBJECT_WUNLOCK(p);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(5, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitUntil(java.util.function.BooleanSupplier cond) {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!cond.getAsBoolean() && System.nanoTime() < until) {
            Thread.onSpinWait();
        }
    }
}
