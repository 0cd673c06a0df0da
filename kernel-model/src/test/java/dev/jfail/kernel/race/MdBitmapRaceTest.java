package dev.jfail.kernel.race;

import dev.jfail.kernel.kern.Kernel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Race 4 driven by hand, without the agent: the failpoint sites' hooks hold the bitmap write's
 * completion back until mdmon has cleared rdev->mddev (buggy: the oops), or for as long as it
 * takes (fixed: mdmon waits for it in md_bitmap_flush and never gets there first).
 */
@Timeout(30)
class MdBitmapRaceTest {

    private static final RunContext CTX = RunContext.of(Duration.ofSeconds(10));
    private final MdBitmapRace race = new MdBitmapRace();

    /** Holds super_written back until mdmon is past rdev->mddev = NULL, or {@code holdMillis}; whether mdmon got there. */
    private RunResult completionHeldUntilUnbind(boolean fixed, boolean external, long holdMillis, boolean[] unboundFirst) {
        CountDownLatch unbound = new CountDownLatch(1);
        return RaceRun.run(MdBitmapRace.config(fixed), CTX, k -> {
            k.hooks().on("unbind_rdev_post_null", unbound::countDown);
            k.hooks().on("super_written_delay", () -> {
                if (Thread.currentThread().getName().equals("ksoftirqd/0")
                        && Kernel.current().threads().stream().anyMatch(t -> t.td_name().equals("mdmon"))) {
                    try {
                        unboundFirst[0] |= unbound.await(holdMillis, TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            return MdBitmapRace.workload(k, external);
        });
    }

    @Test
    void buggy_the_completion_after_the_unbind_dereferences_the_null_mddev() {
        boolean[] unboundFirst = new boolean[1];
        RunResult r = completionHeldUntilUnbind(false, true, 5000, unboundFirst);
        assertTrue(unboundFirst[0]);
        assertEquals(RunResult.Kind.OOPS, r.kind(), r.report());
        String report = r.report();
        assertTrue(report.contains("BUG: kernel NULL pointer dereference"), report);
        assertTrue(report.contains("RIP: 0010:super_written"), report);
        assertTrue(report.contains("Comm: ksoftirqd/0 Not tainted"), report);
        assertFalse(report.contains("WARNING"), "Linux printed no warning before the oops: " + report);
        assertTrue(report.contains("md: md0 stopped."), report);
    }

    @Test
    void fixed_mdmon_waits_for_the_completion_and_the_array_stops_cleanly() {
        boolean[] unboundFirst = new boolean[1];
        RunResult r = completionHeldUntilUnbind(true, true, 300, unboundFirst);
        assertFalse(unboundFirst[0], "mdmon cannot unbind a member while the bitmap write is held back");
        assertEquals(RunResult.Kind.SURVIVED, r.kind(), r.report());
        assertFalse(r.report().contains("WARNING"), r.report());
    }

    @Test
    void buggy_with_an_internal_bitmap_the_superblock_update_waits_and_there_is_no_race() {
        boolean[] unboundFirst = new boolean[1];
        RunResult r = completionHeldUntilUnbind(false, false, 300, unboundFirst);
        assertFalse(unboundFirst[0]);
        assertEquals(RunResult.Kind.SURVIVED, r.kind(), r.report());
    }

    @Test
    void the_fixed_variant_stops_the_array_every_time() {
        for (int i = 0; i < 50; i++) {
            RunResult r = race.runOnce("fixed", CTX);
            assertEquals(RunResult.Kind.SURVIVED, r.kind(), r.report());
            assertTrue(r.report().contains("md: md0 stopped."), r.report());
        }
    }

    @Test
    void the_race_describes_itself_and_rejects_bad_input() {
        assertEquals("md-bitmap", race.id());
        assertEquals(List.of("buggy", "fixed"), race.variants().stream().map(Variant::name).toList());
        assertTrue(race.variants().get(1).fixed());
        assertEquals(List.of("super_written_delay", "md_bitmap_flush_pre_update_sb", "unbind_rdev_post_null"),
                List.copyOf(race.settings().failpoints().keySet()));
        assertThrows(IllegalArgumentException.class, () -> race.runOnce("nope", CTX));
        assertThrows(IllegalArgumentException.class,
                () -> race.runOnce("buggy", new RunContext(Duration.ofSeconds(5), Map.of("external", "2"))));
    }
}
