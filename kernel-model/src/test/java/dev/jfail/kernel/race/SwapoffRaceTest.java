package dev.jfail.kernel.race;

import dev.jfail.FailPoints;
import dev.jfail.Hold;
import dev.jfail.kernel.kern.KThread;
import dev.jfail.kernel.kern.Kernel;
import dev.jfail.kernel.vm.SwapPager;
import dev.jfail.kernel.vm.VmObject;
import dev.jfail.kernel.vm.VmPage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Race 2 driven by hand, with jfail's holds: init is held until the NFS client's renew thread has
 * dismounted by force and reclaimed the swap vnode, before swapoff_all walks the devices
 * (swapoff_all_pre) or before the second page-in locks the vnode (swapdev_strategy_pre_vn_lock),
 * so that page-in meets the dead vnode.
 */
@Timeout(30)
class SwapoffRaceTest {

    private static final RunContext CTX = RunContext.of(Duration.ofSeconds(10));
    private final SwapoffRace race = new SwapoffRace();

    @AfterEach
    void reset() {
        FailPoints.reset();
    }

    /** A run of the buggy or the fixed variant with a workload of 8 swapped pages, on a thread of its own. */
    private static BackgroundRun start(boolean fixed) {
        return BackgroundRun.start("swapoff run", SwapoffRace.config(fixed), CTX, k -> SwapoffRace.workload(k, 8));
    }

    /** init swaps off only once the NFS client's renew thread has dismounted: the swap vnode is dead before the first page-in. */
    private static RunResult swapoffAfterTheDismount(boolean fixed) {
        BackgroundRun run;
        try (Hold swapoff = FailPoints.holdAt("swapoff_all_pre")) {
            run = start(fixed);
            swapoff.awaitHeld();
            await().atMost(Duration.ofSeconds(10)).until(() -> run.exited("nfscl"));
        }
        return run.await();
    }

    /** init's second page-in, before it locks the vnode, waits until the NFS client has dismounted. */
    private static RunResult dismountBetweenTwoPageins(boolean fixed) {
        BackgroundRun run;
        Hold secondPagein;
        try (Hold swapoff = FailPoints.holdAt("swapoff_all_pre")) {
            run = start(fixed);
            swapoff.awaitHeld();
            // from here only init pages in (the workload's page-outs are done): let the first pass, hold the second
            secondPagein = FailPoints.holdAt("swapdev_strategy_pre_vn_lock", 1, 1);
        }
        try (secondPagein) {
            secondPagein.awaitHeld();
            assertEquals(List.of("init"), secondPagein.heldThreads());
            await().atMost(Duration.ofSeconds(10)).until(() -> run.exited("nfscl"));
        }
        return run.await();
    }

    private static void assertInOrder(String report, String... parts) {
        int at = 0;
        for (String part : parts) {
            int i = report.indexOf(part, at);
            assertTrue(i >= 0, "'" + part + "' after position " + at + " in:\n" + report);
            at = i + part.length();
        }
    }

    @Test
    void buggy_swapoff_after_the_dismount_panics_as_the_seed_shows() {
        RunResult r = swapoffAfterTheDismount(false);
        assertEquals(RunResult.Kind.PANIC, r.kind(), r.report());
        assertInOrder(r.report(),
                "All buffers synced.",
                "No strategy for buffer at 0x",
                ": type VBAD",
                "flags (VIRF_DOOMED|VV_VMSIZEVNLOCK)",
                "lock type nfs: SHARED (count 1)",
                "swap_pager: I/O error - pagein failed; blkno 0,size 4096, error 45",
                "panic: VOP_STRATEGY failed bp=0x",
                " vp=0\n",
                "KDB: stack backtrace:\nvpanic() at vpanic (",
                "\npanic() at panic (",
                "\nbufstrategy() at bufstrategy (",
                "\nswapdev_strategy() at swapdev_strategy (",
                "swap_pager_getpages_locked() at",
                "swapoff_one() at",
                "swapoff_all() at",
                "bufshutdown() at",
                "kern_reboot() at",
                "sys_reboot() at",
                "[ thread pid 1 tid ");
        // only the report's frames: none it does not show (kassert_panic, bstrategy, swp_pager_strategy, ...)
        for (String notInTheReport : List.of("kassert_panic", "bstrategy()", "BO_STRATEGY", "swp_pager_strategy",
                "swap_pager_swapoff", "fork_exit", "model:")) {
            assertFalse(r.report().contains(notInTheReport), notInTheReport + " in " + r.report());
        }
        assertFalse(r.report().contains("model: shutdown complete (rebooting)"), r.report());
    }

    @Test
    void buggy_a_dismount_between_two_pageins_dooms_the_vnode_under_the_next_one() {
        RunResult r = dismountBetweenTwoPageins(false);
        assertEquals(RunResult.Kind.PANIC, r.kind(), r.report());
        assertFalse(r.report().contains("blkno 0,"), "the first page-in read its page: " + r.report());
        assertInOrder(r.report(), "No strategy for buffer", "pagein failed; blkno 8,size 4096, error 45",
                "panic: VOP_STRATEGY failed");
    }

    @Test
    void fixed_a_dead_swap_vnode_fails_the_pagein_and_the_device_is_skipped() {
        for (Function<Boolean, RunResult> interleaving : List.<Function<Boolean, RunResult>>of(
                SwapoffRaceTest::swapoffAfterTheDismount, SwapoffRaceTest::dismountBetweenTwoPageins)) {
            RunResult r = interleaving.apply(true);
            assertEquals(RunResult.Kind.SURVIVED, r.kind(), r.report());
            assertInOrder(r.report(), "pagein failed; blkno ", ",size 4096, error 6\n",
                    "Cannot remove swap device [file] (error=6), skipping.", "model: shutdown complete (rebooting)");
            assertFalse(r.report().contains("No strategy"), r.report());
        }
    }

    @Test
    void the_fixed_variant_shuts_down_every_time() {
        for (int i = 0; i < 20; i++) {
            RunResult r = race.runOnce("fixed", CTX);
            assertEquals(RunResult.Kind.SURVIVED, r.kind(), r.report());
            assertTrue(r.report().contains("model: shutdown complete (rebooting)"), r.report());
        }
    }

    @Test
    void the_final_check_finds_a_page_that_is_neither_resident_nor_in_swap() {
        // a renew period of 10 s: the NFS client is still there when init is done
        Kernel k = new Kernel(SwapoffRace.config(false).timeLimit(Duration.ofSeconds(10))
                .tunables(Map.of("nfscl_renew_ticks", "10000")));
        RaceRun.Workload w = SwapoffRace.workload(k, 2);
        KThread init = w.threads().get(0);
        assertTrue(k.join(List.of(init), Duration.ofSeconds(10)));
        var object = SwapPager.objects(k).get(0);
        assertEquals(Optional.empty(), SwapoffRace.lostPage(k, object, 2), "swapoff paged both pages in");
        VmObject.VM_OBJECT_WLOCK(object);
        VmPage m = object.memq.get(1L);
        VmPage.vm_page_xbusy(m);
        VmPage.vm_page_free(m);
        VmObject.VM_OBJECT_WUNLOCK(object);
        assertTrue(SwapoffRace.lostPage(k, object, 2).orElseThrow().contains("page 1 of object"));
        k.shutdown(Duration.ofSeconds(2));
    }

    @Test
    void the_race_describes_itself_and_rejects_bad_input() {
        assertEquals("swapoff", race.id());
        assertEquals(List.of("buggy", "fixed"), race.variants().stream().map(Variant::name).toList());
        assertTrue(race.variants().get(1).description().startsWith("the project's own fix (the report names none)"));
        assertTrue(race.settings().isProjectsOwn());
        assertEquals(List.of("swapoff_all_pre", "swapdev_strategy_pre_vn_lock"), List.copyOf(race.settings().failpoints().keySet()));
        assertThrows(IllegalArgumentException.class, () -> race.runOnce("nope", CTX));
        assertThrows(IllegalArgumentException.class,
                () -> race.runOnce("buggy", new RunContext(Duration.ofSeconds(5), Map.of("swapped_pages", "0"))));
        assertThrows(IllegalArgumentException.class,
                () -> race.runOnce("buggy", new RunContext(Duration.ofSeconds(5), Map.of("nfscl_renew_ticks", "x"))));
    }
}
