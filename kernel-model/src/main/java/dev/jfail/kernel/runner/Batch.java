package dev.jfail.kernel.runner;

import dev.jfail.FailPoints;
import dev.jfail.kernel.race.Race;
import dev.jfail.kernel.race.RunContext;
import dev.jfail.kernel.race.RunResult;
import dev.jfail.kernel.race.Variant;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One race variant run N times under one failpoint setting. Each run is a fresh boot of the model,
 * so its failpoints are armed afresh before it (after a reset) and reset after it: a counted
 * setting ({@code 1*panic}, {@code 2*off->1*sleep(1)}) acts in every run, as the extensions and the
 * explorer arm it per test and per run. The outcomes are counted.
 */
final class Batch {

    /** What to run: {@code seed} is the first run's (null: a fresh one). */
    record Spec(Race race, Variant variant, Failpoints failpoints, int iterations, int maxFailures, RunContext ctx,
                Long seed) {
    }

    /** A failed run: which one, its seed (the model's and the failpoints'), and what the kernel printed. */
    record Failure(int run, long seed, RunResult result) {
    }

    /** What came out. {@code firstFailure}: wall time from the batch's start to the end of its first failed run. */
    record Result(Spec spec, long seed, int runs, Map<RunResult.Kind, Integer> failures, Duration firstFailure,
                  int firstFailureRun, Duration medianRun, Duration total, List<Failure> kept) {

        int failureCount() {
            return failures.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    private Batch() {
    }

    static Result run(Spec spec, int keep, Progress progress, Consumer<Failure> onFailure) {
        // The failpoints' rolls depend on the seed and the thread's name, and every run has the same
        // thread names: each run gets its own seed (run i: base + i - 1), printed with its failure;
        // the same number seeds the model's own randomness (RunContext).
        long base = spec.seed() != null ? spec.seed() : 1 + (System.nanoTime() & 0x7fffffffL);
        String label = spec.race().id() + "/" + spec.variant().name() + " (" + spec.failpoints().label() + ")";
        long start = System.nanoTime();
        long[] nanos = new long[spec.iterations()];
        Map<RunResult.Kind, Integer> failures = new EnumMap<>(RunResult.Kind.class);
        List<Failure> kept = new ArrayList<>();
        Duration first = null;
        int firstRun = 0;
        int runs = 0;
        int failed = 0;
        try {
            for (int i = 0; i < spec.iterations(); i++) {
                RunContext ctx = spec.ctx().withSeed(base + i);
                RunResult r = runOnce(spec, ctx);
                nanos[runs++] = r.elapsed().toNanos();
                if (r.failed()) {
                    failed++;
                    failures.merge(r.kind(), 1, Integer::sum);
                    if (first == null) {
                        first = Duration.ofNanos(System.nanoTime() - start);
                        firstRun = i + 1;
                    }
                    Failure f = new Failure(i + 1, base + i, r);
                    if (kept.size() < keep) {
                        kept.add(f);
                        onFailure.accept(f);
                    }
                }
                progress.update(label, runs, spec.iterations(), failed);
                if (spec.maxFailures() > 0 && failed >= spec.maxFailures()) {
                    break;
                }
            }
        } finally {
            FailPoints.reset();
            progress.done();
        }
        long[] done = Arrays.copyOf(nanos, runs);
        Arrays.sort(done);
        Duration median = runs == 0 ? Duration.ZERO : Duration.ofNanos(done[runs / 2]);
        return new Result(spec, base, runs, failures, first, firstRun, median, Duration.ofNanos(System.nanoTime() - start), kept);
    }

    /** One run, its failpoints armed for it alone: reset, seeded with the run's seed, set; reset after it. */
    static RunResult runOnce(Spec spec, RunContext ctx) {
        FailPoints.reset();
        FailPoints.seed(ctx.seed());
        if (!spec.failpoints().settings().isEmpty()) {
            spec.failpoints().arm();
        }
        try {
            return spec.race().runOnce(spec.variant().name(), ctx);
        } finally {
            FailPoints.reset();
        }
    }

    /** The result as the runner's JSON. */
    static Map<String, Object> json(Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("race", r.spec().race().id());
        m.put("variant", r.spec().variant().name());
        m.put("fixed", r.spec().variant().fixed());
        m.put("failpoints", r.spec().failpoints().settings());
        m.put("failpointsLabel", r.spec().failpoints().label());
        m.put("failpointsWhose", r.spec().failpoints().whose());
        m.put("params", r.spec().ctx().params());
        m.put("seed", r.seed());
        m.put("runs", r.runs());
        m.put("failures", r.failureCount());
        Map<String, Integer> kinds = new LinkedHashMap<>();
        r.failures().forEach((k, v) -> kinds.put(k.name(), v));
        m.put("failuresByKind", kinds);
        m.put("firstFailureMillis", r.firstFailure() == null ? null : millis(r.firstFailure()));
        m.put("firstFailureRun", r.firstFailure() == null ? null : r.firstFailureRun());
        m.put("medianRunMillis", millis(r.medianRun()));
        m.put("totalMillis", millis(r.total()));
        List<Object> reports = new ArrayList<>();
        for (Failure f : r.kept()) {
            Map<String, Object> fm = new LinkedHashMap<>();
            fm.put("run", f.run());
            fm.put("seed", f.seed());
            fm.put("kind", f.result().kind().name());
            fm.put("elapsedMillis", millis(f.result().elapsed()));
            fm.put("report", f.result().report());
            reports.add(fm);
        }
        m.put("reports", reports);
        m.put("notShown", r.failureCount() - r.kept().size());
        return m;
    }

    static double millis(Duration d) {
        return Math.round(d.toNanos() / 1e4) / 100.0;
    }
}
