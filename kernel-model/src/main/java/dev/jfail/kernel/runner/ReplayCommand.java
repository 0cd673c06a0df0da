package dev.jfail.kernel.runner;

import dev.jfail.FailPoints;
import dev.jfail.core.Json;
import dev.jfail.kernel.race.Race;
import dev.jfail.kernel.race.Races;
import dev.jfail.kernel.race.RunContext;
import dev.jfail.kernel.race.RunResult;
import dev.jfail.replay.ReplayFile;
import dev.jfail.replay.Turns;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code replay FILE}: plays a recorded failing run again, N times, in its recorded order: the same
 * race, variant, parameters, failpoint settings and seeds, and at every armed point the recorded
 * crossing order and decisions. Counts the replays that show the recorded symptom.
 */
@Command(name = "replay",
        description = {"Replay a failing run recorded by 'run --record DIR', N times, enforcing at every armed failpoint",
                "the recorded order of crossings (a thread goes past its next point only in that crossing's turn)",
                "and the recorded decisions. Prints how many replays showed the recorded symptom."},
        exitCodeListHeading = "Exit status:%n",
        exitCodeList = {"0:every replay showed the recorded symptom", "1:some replay did not",
                "2:bad usage (no such file, not a replay file, unknown race or variant)"})
final class ReplayCommand extends RaceCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", description = "A replay file written by 'run --record DIR'.")
    Path file;

    @Option(names = {"-n", "--iterations"}, paramLabel = "N", defaultValue = "10",
            description = "Replays (default ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--seed-only", description = {"Replay the run's seed only (the failpoints' rolls and the model's",
            "randomness), not the recorded order: what a seed alone gives, for comparison."})
    boolean seedOnly;

    @Option(names = "--patience", paramLabel = "DURATION", defaultValue = "2s",
            description = {"How long a thread waits for its turn before the replay gives up the order",
                    "and says who waited for what (default ${DEFAULT-VALUE})."})
    String patience;

    @Override
    public Integer call() throws IOException {
        if (iterations < 1) {
            throw new ParameterException(spec.commandLine(), "--iterations must be at least 1, not " + iterations);
        }
        Duration wait = RacesCli.parseDuration(spec, patience);
        ReplayFile rf = ReplayFile.read(file);
        Race race = Races.byId(required(rf, "race"));
        String variant = race.variant(required(rf, "variant")).name();
        Map<String, String> params = new LinkedHashMap<>();
        for (String p : rf.all("param")) {
            int eq = p.indexOf('=');
            params.put(p.substring(0, eq), p.substring(eq + 1));
        }
        Duration limit = rf.first("time_limit_ms").map(ms -> Duration.ofMillis(Long.parseLong(ms)))
                .orElseGet(() -> RacesCli.parseDuration(spec, parent.timeLimit));
        String settings = rf.settings();
        long seed = Long.parseLong(required(rf, ReplayFile.SEED));
        RunContext ctx = new RunContext(limit, params, seed); // the run's seed: the failpoints' rolls and the model's own
        String expected = required(rf, "symptom");

        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean asJson = output.json(parent);
        if (!settings.isEmpty() && !RacesCli.agentAttached()) {
            err.println("jfail-races: warning: the jfail agent is not attached: failpoints will not fire " + RacesCli.HOW_TO_ATTACH);
        }
        String mode = seedOnly ? "seed-only" : "recorded order";
        if (!asJson) {
            out.printf("== replay of %s/%s (%s), %d times, %s: %d crossings recorded; recorded symptom: %s%n",
                    race.id(), variant, file, iterations, mode, rf.crossings().size(), expected);
            out.flush();
        }
        Progress progress = new Progress(err, !output.quiet(parent));
        List<Map<String, Object>> replays = new ArrayList<>();
        int same = 0;
        int followed = 0;
        try {
            for (int i = 1; i <= iterations; i++) {
                FailPoints.reset();
                if (!settings.isEmpty()) {
                    Failpoints.arm(settings);
                }
                FailPoints.seed(seed);
                if (!seedOnly) {
                    Tracing.armGates(rf);
                }
                Turns turns = seedOnly ? null : Turns.start(rf, wait);
                Tracing.Recorded[] rec = new Tracing.Recorded[1];
                RunResult r;
                Turns.Result order = null;
                try {
                    r = Tracing.recordedRun(race, variant, ctx, x -> rec[0] = x);
                } finally {
                    if (turns != null) {
                        order = turns.finish();
                    }
                }
                String symptom = Tracing.symptom(r, rec[0].fatal());
                boolean isSame = symptom.equals(expected);
                same += isSame ? 1 : 0;
                followed += order != null && order.followed() ? 1 : 0;
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("replay", i);
                m.put("kind", r.kind().name());
                m.put("symptom", symptom);
                m.put("same_symptom", isSame);
                if (order != null) {
                    m.put("followed", order.followed());
                    m.put("crossings_in_turn", order.enforced());
                    m.put("ordering_crossings_skipped", order.skipped());
                    m.put("stopped", order.stopped());
                    m.put("first_skip", order.firstSkip());
                }
                m.put("elapsedMillis", Batch.millis(r.elapsed()));
                replays.add(m);
                if (!asJson) {
                    out.printf("replay %d: %s%s%s%n", i, symptom, isSame ? " (the recorded symptom)" : " (NOT the recorded symptom)",
                            order == null ? "" : order.followed()
                                    ? "; order kept: " + order.enforced() + " of " + order.recorded() + " crossings in turn"
                                    + (order.skipped() > 0 ? ", " + order.skipped() + " ordering crossings skipped" : "")
                                    : "; order given up after " + order.enforced() + " of " + order.recorded()
                                    + " crossings: " + order.stopped());
                    if (order != null && !isSame && order.firstSkip() != null) {
                        out.printf("  the first ordering crossing skipped: %s%n", order.firstSkip());
                    }
                    out.flush();
                }
                progress.update("replay " + race.id() + "/" + variant, i, iterations, i - same);
            }
        } finally {
            FailPoints.reset();
            progress.done();
        }
        if (asJson) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("runs", iterations);
            doc.put("same_symptom", same);
            doc.put("mode", mode);
            if (!seedOnly) {
                doc.put("followed", followed);
            }
            doc.put("file", file.toString());
            doc.put("race", race.id());
            doc.put("variant", variant);
            doc.put("symptom", expected);
            doc.put("crossings", rf.crossings().size());
            doc.put("replays", replays);
            out.println(Json.write(doc));
        } else {
            out.printf("%d of %d replays (%s) showed the recorded symptom%s%n", same, iterations, mode,
                    seedOnly ? "" : "; " + followed + " followed the recorded order to its end");
        }
        out.flush();
        return same == iterations ? 0 : 1;
    }

    private String required(ReplayFile rf, String key) {
        return rf.first(key).orElseThrow(() -> new IllegalArgumentException(file + ": the replay file has no '" + key + "'"));
    }
}
