package dev.jfail.kernel.race;

import dev.jfail.FailPoints;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Races 2, 3 and 4 with the agent attached (surefire's -javaagent) and the seed's failpoints set:
 * each buggy variant fails with its own symptom within a generous bound, each fix survives runs
 * under the same failpoints. Every run gets its own failpoint seed, as the runner gives it, so
 * same-named threads roll anew.
 */
@Timeout(240)
class SeedFailpointsTest {
    private static final RunContext CTX = RunContext.of(Duration.ofSeconds(10));
    private static final AtomicLong SEEDS = new AtomicLong(System.nanoTime());
    private static final int FIXED_RUNS = 40;

    @BeforeAll
    static void agentAttached() throws Exception {
        Class<?> agent = Class.forName("dev.jfail.agent.JFailAgent");
        assertTrue((Boolean) agent.getMethod("installed").invoke(null), "run with -javaagent:agent/target/jfail-agent.jar");
    }

    @AfterEach
    void reset() {
        FailPoints.reset();
    }

    private static void seedFailpoints(Race race) {
        FailPoints.reset();
        race.seedFailpoints().forEach(FailPoints::set);
    }

    private static void failsWithin(Race race, String variant, RunResult.Kind kind, String symptom) {
        seedFailpoints(race);
        await().atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
                .until(() -> {
                    FailPoints.seed(SEEDS.incrementAndGet());
                    RunResult r = race.runOnce(variant, CTX);
                    return r.kind() == kind && r.report().contains(symptom);
                });
    }

    private static void survives(Race race, String variant) {
        seedFailpoints(race);
        for (int i = 0; i < FIXED_RUNS; i++) {
            FailPoints.seed(SEEDS.incrementAndGet());
            RunResult r = race.runOnce(variant, CTX);
            assertEquals(RunResult.Kind.SURVIVED, r.kind(), r.report());
        }
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
        failsWithin(race, "original", RunResult.Kind.PANIC, "panic: uvn_io: I/O on vnode");
        failsWithin(race, "vref", RunResult.Kind.PANIC, "panic: vref used where vget required");
        failsWithin(race, "vget-nowait", RunResult.Kind.PANIC,
                "panic: uvn_flush: PGO_SYNCIO return 'try again' error (impossible)");
        survives(race, "fixed");
    }

    @Test
    void md_bitmap_buggy_oopses_in_super_written_and_404a8ef51258_survives() {
        Race race = new MdBitmapRace();
        failsWithin(race, "buggy", RunResult.Kind.OOPS, "RIP: 0010:super_written");
        survives(race, "fixed");
    }
}
