package dev.jfail.kernel.race;

import dev.jfail.FailPoints;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;

/**
 * Races 2, 3 and 4 with the agent attached (surefire's -javaagent) and their preset settings set:
 * each buggy variant fails with its own symptom within a generous bound, each fix survives runs
 * under the same failpoints. Every run gets its own seed, as the runner gives it, so
 * same-named threads roll anew.
 */
@Timeout(240)
class PresetSettingsTest {
    private static final RunContext CTX = RunContext.of(Duration.ofSeconds(10));
    private static final int FIXED_RUNS = 40;

    @BeforeAll
    static void agentAttached() throws Exception {
        SeededRuns.assertAgentAttached();
    }

    @AfterEach
    void reset() {
        FailPoints.reset();
    }

    private static void failsWithin(Race race, String variant, RunResult.Kind kind, String symptom) {
        SeededRuns.setPresetSettings(race);
        SeededRuns.failsWithin(race, variant, CTX, kind, symptom);
    }

    private static void survives(Race race, String variant) {
        SeededRuns.setPresetSettings(race);
        SeededRuns.survives(race, variant, CTX, FIXED_RUNS);
    }

    @Test
    void swapoff_buggy_panics_in_bufstrategy_and_our_fix_survives() {
        Race race = new SwapoffRace();
        failsWithin(race, "buggy", RunResult.Kind.PANIC, "panic: VOP_STRATEGY failed bp=");
        survives(race, "fixed");
    }

    @Test
    void uvn_each_attempt_fails_its_own_way_and_1_132_survives() {
        Race race = new UvnRace();
        failsWithin(race, "original", RunResult.Kind.PANIC, "panic: vref used where vget required");
        failsWithin(race, "vget-nowait", RunResult.Kind.PANIC,
                "panic: uvn_flush: PGO_SYNCIO return 'try again' error (impossible)");
        survives(race, "fixed");
    }

    @Test
    void md_bitmap_buggy_oopses_in_super_written_and_404a8ef51258_survives() {
        Race race = new MdBitmapRace();
        failsWithin(race, "buggy", RunResult.Kind.OOPS, "NULL pointer dereference in super_written");
        survives(race, "fixed");
    }
}
