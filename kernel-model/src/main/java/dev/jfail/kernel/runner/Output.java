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
        out.printf("--- %s/%s (%s): run %d: %s after %.1f ms (failpoint seed %d) ---%n", spec.race().id(),
                spec.variant().name(), spec.failpointsLabel(), f.run(), f.result().kind(),
                f.result().elapsed().toNanos() / 1e6, f.seed());
        String report = f.result().report();
        out.print(report.endsWith("\n") ? report : report + "\n");
        out.flush();
    }

    static void batchHeader(PrintWriter out, Batch.Spec spec) {
        out.printf("== %s/%s: %d runs, failpoints %s%s%n", spec.race().id(), spec.variant().name(),
                spec.iterations(), spec.failpointsLabel(),
                spec.failpoints().isEmpty() ? "" : " (" + Batch.settings(spec.failpoints()) + ")");
        out.flush();
    }

    static void summary(PrintWriter out, List<Batch.Result> results) {
        String fmt = "%-10s %-12s %-8s %7s  %-24s %-22s %12s%n";
        out.println();
        out.printf(fmt, "RACE", "VARIANT", "FAILPTS", "RUNS", "FAILURES", "FIRST FAILURE", "MEDIAN/RUN");
        for (Batch.Result r : results) {
            out.printf(fmt, r.spec().race().id(), r.spec().variant().name() + (r.spec().variant().fixed() ? "*" : ""),
                    r.spec().failpointsLabel().length() > 8 ? "custom" : r.spec().failpointsLabel(),
                    r.runs(), failures(r), first(r), String.format("%.2f ms", r.medianRun().toNanos() / 1e6));
        }
        out.println("(* the fixed variant; FIRST FAILURE: wall time from the batch's start, and the run)");
        out.flush();
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
