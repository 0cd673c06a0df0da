package dev.jfail.kernel.race;

import dev.jfail.FailPoints;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs of a race with the agent's failpoints, as the runner makes them: every run gets its own
 * seed, so same-named threads roll anew.
 */
final class SeededRuns {
    private static final AtomicLong SEEDS = new AtomicLong(System.nanoTime());

    private SeededRuns() {
    }

    /** The tests need surefire's -javaagent. */
    static void assertAgentAttached() throws Exception {
        Class<?> agent = Class.forName("dev.jfail.agent.JFailAgent");
        assertTrue((Boolean) agent.getMethod("installed").invoke(null), "run with -javaagent:agent/target/jfail-agent.jar");
    }

    /** Only the race's failpoints, at its preset settings. */
    static void setPresetSettings(Race race) {
        FailPoints.reset();
        race.settings().failpoints().forEach(FailPoints::set);
    }

    /** Some run of {@code variant} ends as {@code kind} with {@code symptom} in its report, within a generous bound. */
    static void failsWithin(Race race, String variant, RunContext ctx, RunResult.Kind kind, String symptom) {
        await().atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
                .until(() -> {
                    long seed = SEEDS.incrementAndGet();
                    FailPoints.seed(seed);
                    RunResult r = race.runOnce(variant, ctx.withSeed(seed));
                    return r.kind() == kind && r.report().contains(symptom);
                });
    }

    /** {@code runs} runs of {@code variant} in a row all survive. */
    static void survives(Race race, String variant, RunContext ctx, int runs) {
        for (int i = 0; i < runs; i++) {
            long seed = SEEDS.incrementAndGet();
            FailPoints.seed(seed);
            RunResult r = race.runOnce(variant, ctx.withSeed(seed));
            assertEquals(RunResult.Kind.SURVIVED, r.kind(), r.report());
        }
    }
}
