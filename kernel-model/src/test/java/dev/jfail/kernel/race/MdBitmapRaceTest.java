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
 * Race 4 driven by hand, with jfail's holds: the bitmap write's completion is held back until
 * mdmon has cleared rdev->mddev (buggy: the oops), or until mdmon is seen waiting for it (fixed:
 * mdmon waits for it in md_bitmap_flush and never gets there first).
 */
@Timeout(30)
class MdBitmapRaceTest {

    private static final RunContext CTX = RunContext.of(Duration.ofSeconds(10));
    private static final String UNBIND = "unbind_rdev_post_null";
    private final MdBitmapRace race = new MdBitmapRace();

    @AfterEach
    void reset() {
        FailPoints.reset();
    }

    /**
     * mdmon stops the array while the softirq holds back the completion of md_bitmap_flush's write
     * (it lets the two of the array's last write pass), the unbinding of members watched (a point
     * that is off counts nothing: FreeBSD's counted off does).
     */
    private static Stop stoppingWithTheBitmapWriteInFlight(boolean fixed, boolean external) {
        FailPoints.set(UNBIND, Integer.MAX_VALUE + "*off");
        Hold completion = FailPoints.holdAt("super_written_delay", 1, 2);
        BackgroundRun run = BackgroundRun.start("md-bitmap run", MdBitmapRace.config(fixed), CTX,
                k -> MdBitmapRace.workload(k, external));
        completion.awaitHeld();
        assertEquals(List.of("ksoftirqd/0"), completion.heldThreads());
        return new Stop(completion, run);
    }

    /** The held completion of md_bitmap_flush's write, and the run. */
    private record Stop(Hold completion, BackgroundRun run) {
    }

    private static long unbinds() {
        return FailPoints.status(UNBIND).evaluations();
    }

    @Test
    void buggy_the_completion_after_the_unbind_dereferences_the_null_mddev() {
        Stop stop = stoppingWithTheBitmapWriteInFlight(false, true);
        try (Hold completion = stop.completion()) {
            // mdmon unbinds a member while the write is in flight: rdev->mddev = NULL
            await().atMost(Duration.ofSeconds(10)).until(() -> unbinds() >= 1);
        }
        RunResult r = stop.run().await();
        assertEquals(RunResult.Kind.OOPS, r.kind(), r.report());
        String report = r.report();
        // the report: "NULL pointer derefence when the I/O callback, super_written is called"; it shows no oops
        assertTrue(report.startsWith("model: NULL pointer dereference in super_written, thread "), report);
        assertTrue(report.contains("(ksoftirqd/0)"), report);
        assertFalse(report.contains("BUG:") || report.contains("Oops") || report.contains("RIP:"), report);
        assertFalse(report.contains("WARNING"), "no warning before the crash: " + report);
    }

    @Test
    void fixed_mdmon_waits_for_the_completion_and_the_array_stops_cleanly() {
        Stop stop = stoppingWithTheBitmapWriteInFlight(true, true);
        try (Hold completion = stop.completion()) {
            // mdmon waits for the write in md_bitmap_flush (md_super_wait), before any member is unbound
            await().atMost(Duration.ofSeconds(10)).until(() -> mdmonSleepsOn(stop.run(), "md_super_wait"));
            assertEquals(0, unbinds(), "mdmon cannot unbind a member while the bitmap write is held back");
        }
        RunResult r = stop.run().await();
        assertEquals(RunResult.Kind.SURVIVED, r.kind(), r.report());
        assertFalse(r.report().contains("WARNING"), r.report());
    }

    @Test
    void buggy_with_an_internal_bitmap_the_superblock_update_waits_and_there_is_no_race() {
        Stop stop = stoppingWithTheBitmapWriteInFlight(false, false);
        try (Hold completion = stop.completion()) {
            // mdmon waits for the internal bitmap's write (md_bitmap_wait_writes: md_super_wait) before any member is unbound
            await().atMost(Duration.ofSeconds(10)).until(() -> mdmonSleepsOn(stop.run(), "md_super_wait"));
            assertEquals(0, unbinds());
        }
        RunResult r = stop.run().await();
        assertEquals(RunResult.Kind.SURVIVED, r.kind(), r.report());
    }

    private static boolean mdmonSleepsOn(BackgroundRun run, String wmesg) {
        return run.thread("mdmon").map(td -> wmesg.equals(td.wmesg())).orElse(false);
    }

    @Test
    void the_fixed_variant_stops_the_array_every_time() {
        for (int i = 0; i < 50; i++) {
            RunResult r = race.runOnce("fixed", CTX);
            assertEquals(RunResult.Kind.SURVIVED, r.kind(), r.report());
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
