package dev.jfail.specs

import dev.jfail.dsl.Background
import dev.jfail.dsl.FailPointDsl
import dev.jfail.dsl.Waiting
import dev.jfail.kernel.race.Race
import dev.jfail.kernel.race.Races
import dev.jfail.kernel.race.RunContext
import dev.jfail.kernel.race.RunResult
import org.awaitility.core.ConditionTimeoutException
import spock.lang.Specification

import java.time.Duration

import static org.awaitility.Awaitility.await

/**
 * What every race specification needs: one race of the kernel model, run once, run until it
 * shows its symptom, run many times, or started in the background to be steered through holds.
 * The failpoints are the spec's business (annotations, holds); runs never set them.
 */
abstract class RaceSpecification extends Specification implements FailPointDsl {

    /** The time limit of one run: generous, a run takes milliseconds. */
    static final Duration RUN_LIMIT = Duration.ofSeconds(10)

    /** How long the buggy variant gets to show its symptom with the preset settings: it takes seconds. */
    static final Duration SYMPTOM_BOUND = Duration.ofSeconds(Long.getLong('jfail.specs.symptomSeconds', 60L))

    /** How many runs a fixed variant must survive with the preset settings. */
    static final int SURVIVAL_RUNS = Integer.getInteger('jfail.specs.runs', 300)

    /** The race's id, as the runner takes it: "collapse", "swapoff", "uvn", "md-bitmap", "sendfile". */
    abstract String getRaceId()

    Race getRace() {
        Races.byId(raceId)
    }

    /**
     * One run of {@code variant}, a fresh kernel, with whatever failpoints are set now; the
     * model's own randomness is seeded with the failpoints' current seed.
     */
    RunResult runOnce(String variant, Map<String, String> params = [:]) {
        race.runOnce(variant, new RunContext(RUN_LIMIT, params, dev.jfail.FailPoints.seed()))
    }

    /** One run on its own thread, to be steered through holds from the spec's thread. */
    Background<RunResult> startRun(String variant, Map<String, String> params = [:]) {
        background("$raceId $variant run") { runOnce(variant, params) }
    }

    /**
     * Runs {@code variant} again and again until a run shows {@code symptom} through the window the
     * preset settings force: some point of theirs fired in that very run, and every one of them has
     * fired in this series by then (a symptom reached without them proves nothing about them; a
     * cold first run may be slow enough for that). At most {@link #SYMPTOM_BOUND}. Other failures
     * are passed over: a buggy variant may fail in more than one way. The runs go on the spec's
     * own thread, each with its own seed (see {@link #seeded}).
     */
    RunResult firstRunShowing(String variant, String symptom, Closure<Boolean> shows) {
        List<String> points = race.settings().failpoints().findAll { name, setting -> setting != 'off' }.keySet().toList()
        Map<String, Long> firedAtStart = points.collectEntries { [(it): fired(it)] }
        Map<String, Integer> seen = new TreeMap<>()
        RunResult found = null
        seeded { Closure<RunResult> nextRun ->
            try {
                await("$raceId/$variant to show $symptom").atMost(SYMPTOM_BOUND).pollDelay(Duration.ZERO)
                        .pollInterval(Duration.ofMillis(1)).pollInSameThread().until {
                    Map<String, Long> firedBefore = points.collectEntries { [(it): fired(it)] }
                    RunResult run = nextRun(variant)
                    boolean throughTheWindow = points.any { fired(it) > firedBefore[it] } && points.every { fired(it) > firedAtStart[it] }
                    boolean showing = shows(run)
                    String outcome = showing && !throughTheWindow ? "${run.kind()} without the points" : run.kind().toString()
                    seen.merge(outcome, 1, Integer::sum)
                    if (showing && throughTheWindow) {
                        found = run
                    }
                    found != null
                }
            } catch (ConditionTimeoutException ignored) {
                throw new AssertionError("$raceId/$variant did not show $symptom through ${points} in ${SYMPTOM_BOUND.seconds} s: " +
                        "${seen.values().sum() ?: 0} runs, ${seen}" as Object)
            }
        }
        found
    }

    /** {@code times} runs of {@code variant}, one after the other, each with its own seed: the ones that failed. */
    List<SeededRun> failedRuns(String variant, int times, Map<String, String> params = [:]) {
        List<SeededRun> failed = []
        seeded { Closure<RunResult> nextRun ->
            times.times { int i ->
                long seed = dev.jfail.FailPoints.seed() + 1
                RunResult run = nextRun(variant, params)
                if (run.failed()) {
                    failed << new SeededRun(i + 1, seed, run)
                }
            }
        }
        failed
    }

    /** A run that failed, with the seed its decisions came from, to replay it alone with {@code @Seed}. */
    static final class SeededRun {
        final int number
        final long seed
        final RunResult result

        SeededRun(int number, long seed, RunResult result) {
            this.number = number
            this.seed = seed
            this.result = result
        }

        @Override
        String toString() {
            "run $number (its decisions: @Seed(${seed}L)): ${result.kind()}\n${result.report()}"
        }
    }

    /**
     * Gives {@code body} a "next run" that first moves the seed on. A run boots a fresh kernel whose
     * threads bear the same names every time, and a thread's rolls start over with the thread: runs
     * sharing one seed would all make the same first decisions, and with some seeds a 20% point
     * would never fire at all. So run i (from 1) gets seed s+i, s being the feature's seed, which is
     * put back after: a failure's replay hint names s, and s replays the whole series.
     */
    private <T> T seeded(Closure<T> body) {
        long featureSeed = dev.jfail.FailPoints.seed()
        long next = featureSeed
        try {
            body { String variant, Map<String, String> params = [:] ->
                dev.jfail.FailPoints.seed(++next)
                runOnce(variant, params)
            }
        } finally {
            dev.jfail.FailPoints.seed(featureSeed)
        }
    }

    /**
     * Waits until {@code run} has started every thread of its workload: it waits for them in
     * Kernel.join, or it is over already.
     */
    void awaitWorkloadStarted(Background<RunResult> run) {
        Waiting.until("${run.name} to start its workload", patience, { "${thread(run.name)}: ${run.done ? 'done' : 'not in Kernel.join'}" }) {
            run.done || thread(run.name).isWaitingIn('Kernel.join')
        }
    }

    /** The preset settings that do something ({@code off} ones left out), in the FAILPOINTS form. */
    String getSeedSettings() {
        race.settings().failpoints().findAll { name, setting -> setting != 'off' }.collect { name, setting -> "$name=$setting" }.join(';')
    }

    /** Whether {@code report} contains every one of {@code fragments}, in this order. */
    static boolean inOrder(String report, List<String> fragments) {
        int from = 0
        for (String fragment : fragments) {
            int at = report.indexOf(fragment, from)
            if (at < 0) {
                return false
            }
            from = at + fragment.length()
        }
        true
    }
}
