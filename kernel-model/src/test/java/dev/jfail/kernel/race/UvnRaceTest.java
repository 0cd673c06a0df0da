package dev.jfail.kernel.race;

import dev.jfail.FailPoints;
import dev.jfail.Hold;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Race 3 driven by hand, with jfail's holds: the pagedaemon's first pageout is held in its I/O
 * (uvn_io_unlocked) until ld has closed its files and exited — and, for the recycling path,
 * until sh has recycled a.out with its pages still dirty — then each variant shows its symptom.
 */
@Timeout(30)
class UvnRaceTest {

    private static final RunContext CTX = RunContext.of(Duration.ofSeconds(10));
    private final UvnRace race = new UvnRace();

    @AfterEach
    void reset() {
        FailPoints.reset();
    }

    /**
     * The pagedaemon's first write is held until ld has exited and sh is done (or the kernel
     * stopped). sh recycles only once that write is under way: were sh first, its vclean could
     * flush a page the held pagedaemon then busies, and each would wait for the other.
     */
    private static RunResult pageoutHeldUntilShIsDone(String variant) {
        BackgroundRun run;
        // the pagedaemon's first write stops with the object unlocked; sh's first getnewvnode
        // (after the two of the build's setup) stops before it recycles a vnode
        try (Hold pageout = FailPoints.holdAt("uvn_io_unlocked");
             Hold recycle = FailPoints.holdAt("getnewvnode_pre_vgone", 1, 2)) {
            run = BackgroundRun.start("uvn run", UvnRace.config(variant), CTX, k -> UvnRace.workload(k, 4, 8));
            pageout.awaitHeld();
            assertEquals(List.of("pagedaemon"), pageout.heldThreads());
            recycle.awaitHeld();
            assertEquals(List.of("sh"), recycle.heldThreads());
            recycle.release();
            await().atMost(Duration.ofSeconds(10)).until(() -> run.stopped() || run.exited("sh"));
        }
        return run.await();
    }

    @Test
    void original_the_pageouts_ffs_write_takes_vref_on_the_vnode_ld_has_closed() {
        RunResult r = pageoutHeldUntilShIsDone("original");
        assertEquals(RunResult.Kind.PANIC, r.kind(), r.report());
        String report = r.report();
        assertTrue(report.startsWith("panic: vref used where vget required\n"), report);
        int at = 0;
        // the thread shows no trace of this panic: the model's, on model: lines
        for (String frame : List.of("model:   vref (", "model:   uvm_vnp_uncache (", "model:   ffs_write (",
                "model:   VOP_WRITE (", "model:   uvn_io (", "model:   uvn_put (", "model:   uvm_pager_put (",
                "model:   uvmpd_scan_inactive (")) {
            int i = report.indexOf(frame, at);
            assertTrue(i > at, frame + " after position " + at + " in\n" + report);
            at = i;
        }
    }

    @Test
    void vget_nowait_the_recyclers_own_flush_cannot_get_the_vnode_and_panics() {
        RunResult r = pageoutHeldUntilShIsDone("vget-nowait");
        assertEquals(RunResult.Kind.PANIC, r.kind(), r.report());
        String report = r.report();
        assertTrue(report.startsWith("panic: uvn_flush: PGO_SYNCIO return 'try again' error (impossible)\n"), report);
        int at = 0;
        // Miod Vallat's transcribed trace, frame for frame, in his form (less the offsets)
        assertFalse(report.contains("model:"), report);
        assertFalse(report.contains("vpanic"), "OpenBSD has no vpanic: " + report);
        for (String frame : List.of("\nuvn_flush (", "\nuvm_vnp_terminate (", "\nvclean (", "\nvgonel (",
                "\ngetnewvnode (", "\nffs_vget (", "\nffs_inode_alloc (", "\nufs_makeinode (", "\nufs_create (",
                "\nVOP_CREATE (", "\nvn_open (", "\ndoopenat (")) {
            int i = report.indexOf(frame, at);
            assertTrue(i > at, frame + " after position " + at + " in\n" + report);
            at = i;
        }
    }

    @Test
    void fixed_the_recycler_writes_the_dirty_pages_itself_and_nothing_is_lost() {
        RunResult r = pageoutHeldUntilShIsDone("fixed");
        assertEquals(RunResult.Kind.SURVIVED, r.kind(), r.report());
    }

    @Test
    void the_fixed_variant_survives_every_run() {
        for (int i = 0; i < 30; i++) {
            RunResult r = race.runOnce("fixed", CTX);
            assertEquals(RunResult.Kind.SURVIVED, r.kind(), r.report());
        }
    }

    @Test
    void the_race_describes_itself_and_rejects_bad_input() {
        assertEquals("uvn", race.id());
        assertEquals(List.of("original", "vget-nowait", "fixed"),
                race.variants().stream().map(Variant::name).toList());
        assertTrue(race.variants().get(2).fixed());
        assertFalse(race.variants().get(0).fixed());
        assertEquals(List.of("uvn_io_unlocked", "getnewvnode_pre_vgone", "vclean_post_vxlock"),
                List.copyOf(race.settings().failpoints().keySet()));
        assertThrows(IllegalArgumentException.class, () -> race.runOnce("nope", CTX));
        assertThrows(IllegalArgumentException.class,
                () -> race.runOnce("fixed", new RunContext(Duration.ofSeconds(5), Map.of("dirty_pages", "-1"))));
    }
}
