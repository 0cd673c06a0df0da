package dev.jfail.kernel.race;

import dev.jfail.FailPoints;
import dev.jfail.Hold;
import dev.jfail.kernel.kern.KThread;
import dev.jfail.kernel.kern.Kernel;
import dev.jfail.kernel.vm.SwapPager;
import dev.jfail.kernel.vm.VmFault;
import dev.jfail.kernel.vm.VmObject;
import dev.jfail.kernel.vm.VmObjectCollapse;
import dev.jfail.kernel.vm.VmPage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.jfail.kernel.vm.VmObject.VM_OBJECT_WLOCK;
import static dev.jfail.kernel.vm.VmObject.VM_OBJECT_WUNLOCK;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Race 1 driven by hand: jfail's settings and holds at the failpoints force D4103's interleaving
 * deterministically: the collapse's renames fail, so it waits (locks dropped) and restarts, until
 * the fault sits in unlock_and_deallocate's relock window, and the fault stays there until the
 * collapse has either freed the page (buggy) or gone to sleep on the placeholder (fixed).
 */
@Timeout(30)
class CollapseRaceTest {

    private static Kernel boot(boolean fixed, boolean invariants) {
        Kernel.Config c = CollapseRace.FREEBSD.timeLimit(Duration.ofSeconds(10)).invariants(invariants);
        return new Kernel(fixed ? c.patched(VmObjectCollapse.R291576) : c);
    }

    @AfterEach
    void reset() {
        FailPoints.reset();
    }

    /**
     * Runs the child's exit and one write fault on pindex 1 through D4103's interleaving: every
     * rename of the collapse fails (as when radix nodes run out), so it drops its locks, waits and
     * restarts its scan again and again; the fault, started once the collapse is under way, leaves
     * its placeholder in P, finds B dead and stops in unlock_and_deallocate's relock window. Then
     * renames succeed again, and the fault stays there until the collapse has either freed the
     * page (buggy) or gone to sleep on the placeholder (fixed).
     */
    private static CollapseRace.Workload interleave(Kernel k) {
        CollapseRace.Workload w = new CollapseRace.Workload(k, CollapseRace.Params.defaults());
        w.setup();
        FailPoints.set("vmob_scan_rename_unlock", "return(1)");
        KThread collapse;
        KThread fault;
        try (Hold relock = FailPoints.holdAt("unlock_and_deallocate_relock")) {
            collapse = k.uthread_add("sh", 813, w::vmspace_exit);
            FailPoints.awaitFired("vmob_scan_rename_unlock", 1);
            fault = k.uthread_add("make", 812, () -> VmFault.vm_fault_hold(w.map, w.va(1), VmFault.VM_PROT_WRITE, 7777));
            // the fault is in the window; the buggy collapse may already have panicked, which lets it go
            await().atMost(Duration.ofSeconds(10)).until(() -> !relock.heldThreads().isEmpty() || k.stopped());
            FailPoints.off("vmob_scan_rename_unlock");
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> k.stopped() || collapse.exited() || "vmocol".equals(collapse.wmesg()));
        }
        k.join(List.of(collapse, fault), Duration.ofSeconds(10));
        return w;
    }

    @Test
    void buggy_the_restarted_scan_frees_the_mapped_backing_page() {
        Kernel k = boot(false, true);
        interleave(k);
        Kernel.Fatal f = k.fatal();
        assertEquals(Kernel.FatalKind.PANIC, f == null ? null : f.kind(), String.valueOf(f));
        assertTrue(f.message().startsWith("freeing mapped page 0x"), f.message());
        // the report's panic line, in its (OneFS's) format; the report shows no trace, so the model's is on model: lines
        assertTrue(f.report().matches("(?s)panic @ time \\d+\\.\\d{3}, thread 0x[0-9a-f]+: freeing mapped page 0x[0-9a-f]+\n.*"),
                f.report());
        assertTrue(f.report().contains("model:   vm_object_backing_scan (VmObjectCollapse.java:"), f.report());
        assertTrue(f.report().contains("model:   vm_object_collapse ("), f.report());
        assertTrue(f.report().contains("model:   vm_object_deallocate ("), f.report());
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
        KThread exit;
        try (Hold rename = FailPoints.holdAt("vmob_scan_rename_unlock")) {
            exit = k.uthread_add("sh", 813, w::vmspace_exit);
            rename.awaitHeld();
            w.backing.ref_count++; // someone references B while it is being collapsed
        }
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
}
