package dev.jfail.kernel.runner;

import dev.jfail.kernel.race.RunResult;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/** The runner's text output: failures as the kernel printed them, and the summary table. */
final class Output {
    private Output() {
    }

    static void failure(PrintWriter out, Batch.Spec spec, Batch.Failure f) {
        out.printf("--- %s/%s (%s): run %d: %s after %.1f ms (seed %d: '-n 1 --seed %d' replays its rolls) ---%n",
                spec.race().id(), spec.variant().name(), spec.failpoints().label(), f.run(), f.result().kind(),
                f.result().elapsed().toNanos() / 1e6, f.seed(), f.seed());
        String report = f.result().report();
        out.print(report.endsWith("\n") ? report : report + "\n");
        out.flush();
    }

    static void batchHeader(PrintWriter out, Batch.Spec spec) {
        Failpoints fp = spec.failpoints();
        out.printf("== %s/%s: %d runs, failpoints %s%s%n", spec.race().id(), spec.variant().name(),
                spec.iterations(), fp.label(),
                fp.settings().isEmpty() ? "" : " (" + fp.whose() + "): " + fp.joined());
        out.flush();
    }

    /** After a batch's failures: how many were counted but not printed. */
    static void notShown(PrintWriter out, Batch.Result r, String howToSeeMore) {
        int more = r.failureCount() - r.kept().size();
        if (more > 0) {
            out.printf("%d more failure%s not shown (%s)%n", more, more == 1 ? "" : "s", howToSeeMore);
            out.flush();
        }
    }

    static void summary(PrintWriter out, List<Batch.Result> results) {
        String fmt = "%-10s %-12s %-8s %7s  %-24s %-22s %12s%n";
        out.println();
        out.printf(fmt, "RACE", "VARIANT", "FAILPTS", "RUNS", "FAILURES", "FIRST FAILURE", "MEDIAN/RUN");
        for (Batch.Result r : results) {
            out.printf(fmt, r.spec().race().id(), r.spec().variant().name() + (r.spec().variant().fixed() ? "*" : ""),
                    r.spec().failpoints().label(),
                    r.runs(), failures(r), first(r), String.format("%.2f ms", r.medianRun().toNanos() / 1e6));
        }
        out.println("(* the fixed variant; FIRST FAILURE: wall time from the batch's start, and the run)");
        verdicts(out, results);
        out.flush();
    }

    /**
     * One line per race: "collapse: buggy fails 0 of 1000 runs without failpoints, 12 of 50 with the
     * preset settings (cem's, in D4103); fixed survives 300 of 300 with the preset settings (...)".
     */
    static void verdicts(PrintWriter out, List<Batch.Result> results) {
        out.println();
        Map<String, List<Batch.Result>> byRace = new java.util.LinkedHashMap<>();
        results.forEach(r -> byRace.computeIfAbsent(r.spec().race().id(), id -> new java.util.ArrayList<>()).add(r));
        byRace.forEach((race, rs) -> {
            List<String> parts = new java.util.ArrayList<>();
            Map<String, List<Batch.Result>> byVariant = new java.util.LinkedHashMap<>();
            rs.forEach(r -> byVariant.computeIfAbsent(r.spec().variant().name(), v -> new java.util.ArrayList<>()).add(r));
            byVariant.forEach((variant, vrs) -> {
                boolean fixed = vrs.get(0).spec().variant().fixed();
                List<String> counts = vrs.stream().map(r -> fixed
                        ? (r.failureCount() == 0 ? "survives " + r.runs() + " of " + r.runs()
                            : "FAILS " + r.failureCount() + " of " + r.runs()) + " runs " + r.spec().failpoints().describe()
                        : r.failureCount() + " of " + r.runs() + " runs " + r.spec().failpoints().describe()).toList();
                parts.add(variant + (fixed ? " " : " fails ") + String.join(", ", counts));
            });
            out.println(race + ": " + String.join("; ", parts));
        });
    }

    private static String failures(Batch.Result r) {
        if (r.failureCount() == 0) {
            return "0";
        }
        StringBuilder sb = new StringBuilder().append(r.failureCount()).append(" (");
        boolean firstKind = true;
        for (Map.Entry<RunResult.Kind, Integer> e : r.failures().entrySet()) {
            sb.append(firstKind ? "" : ", ").append(e.getValue()).append(' ').append(e.getKey());
            firstKind = false;
        }
        return sb.append(')').toString();
    }

    private static String first(Batch.Result r) {
        if (r.firstFailure() == null) {
            return "-";
        }
        double ms = r.firstFailure().toNanos() / 1e6;
        String t = ms < 1000 ? String.format("%.1f ms", ms) : String.format("%.2f s", ms / 1000);
        return t + " (run " + r.firstFailureRun() + ")";
    }
}
