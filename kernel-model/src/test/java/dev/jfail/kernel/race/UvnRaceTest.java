package dev.jfail.kernel.race;

import dev.jfail.kernel.kern.KThread;
import dev.jfail.kernel.kern.Kernel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Race 3 driven by hand, without the agent: the pagedaemon's first pageout holds its I/O
 * (uvn_io_unlocked) until ld has closed its files and exited — and, for the recycling path,
 * until sh has recycled a.out with its pages still dirty — then each variant shows its symptom.
 */
@Timeout(30)
class UvnRaceTest {

    private static final RunContext CTX = RunContext.of(Duration.ofSeconds(10));
    private final UvnRace race = new UvnRace();

    private static Optional<KThread> thread(Kernel k, String name) {
        return k.threads().stream().filter(t -> t.td_name().equals(name)).findFirst();
    }

    private static boolean exited(Kernel k, String name) {
        return thread(k, name).map(KThread::exited).orElse(false);
    }

    /**
     * The pagedaemon's first write waits until ld has exited and sh is done (or the kernel stopped).
     * sh recycles only once that write is under way (or the pagedaemon is done): were sh first, its
     * vclean could flush a page the held pagedaemon then busies, and each would wait for the other.
     */
    private static RunResult pageoutHeldUntilShIsDone(String variant) {
        return RaceRun.run(UvnRace.config(variant), CTX, k -> {
            AtomicBoolean pageoutHeld = new AtomicBoolean();
            k.hooks().on("uvn_io_unlocked", () -> {
                if (Thread.currentThread().getName().equals("pagedaemon") && pageoutHeld.compareAndSet(false, true)) {
                    await().atMost(Duration.ofSeconds(5)).until(() -> k.stopped() || exited(k, "sh"));
                }
            });
            k.hooks().on("getnewvnode_pre_vgone", () -> {
                if (Thread.currentThread().getName().equals("sh")) {
                    await().atMost(Duration.ofSeconds(5))
                            .until(() -> k.stopped() || pageoutHeld.get() || exited(k, "pagedaemon"));
                }
            });
            return UvnRace.workload(k, 4, 8);
        });
    }

    @Test
    void original_the_pageouts_ffs_write_takes_vref_on_the_vnode_ld_has_closed() {
        RunResult r = pageoutHeldUntilShIsDone("original");
        assertEquals(RunResult.Kind.PANIC, r.kind(), r.report());
        String report = r.report();
        assertTrue(report.startsWith("panic: vref used where vget required\n"), report);
        int at = 0;
        for (String frame : List.of("vref() at", "uvm_vnp_uncache() at", "ffs_write() at", "VOP_WRITE() at",
                "uvn_io() at", "uvn_put() at", "uvm_pager_put() at", "uvmpd_scan_inactive() at")) {
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
        for (String frame : List.of("uvn_flush() at", "uvm_vnp_terminate() at", "vclean() at", "vgonel() at",
                "getnewvnode() at", "ffs_vget() at", "ffs_inode_alloc() at", "ufs_makeinode() at", "ufs_create() at",
                "VOP_CREATE() at", "vn_open() at", "doopenat() at")) {
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
