package dev.jfail.kernel.runner;

import dev.jfail.core.Durations;
import dev.jfail.core.Json;
import dev.jfail.kernel.race.Race;
import dev.jfail.kernel.race.Races;
import dev.jfail.kernel.race.RunContext;
import dev.jfail.kernel.race.Variant;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code java -jar jfail-races.jar}: plays the kernel races of the model. With no command, a tour
 * of every race: the buggy variants without failpoints, then with the race's preset settings, then
 * the fix with the same settings. Exit status: 0; 1 when a fixed variant failed; 2 for bad usage.
 */
@Command(name = "jfail-races", mixinStandardHelpOptions = true, version = "jfail-races 0.1.0",
        description = {"Plays five real kernel races in the jfail kernel model, with and without failpoints.",
                "With no command: every race, buggy without failpoints, buggy with its preset failpoint",
                "settings, and fixed with the same settings; then a verdict line per race."},
        subcommands = {ListCommand.class, RunCommand.class, ExploreCommand.class, ReplayCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "Exit status:%n",
        exitCodeList = {"0:done (failures of buggy variants are expected)", "1:a fixed variant failed",
                "2:bad usage (unknown race, variant, parameter or failpoint setting)"})
public final class RacesCli implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Option(names = "--time-limit", paramLabel = "DURATION", defaultValue = "10s",
            description = "Time limit of one run (e.g. 500ms, 10s, PT1M). Default: ${DEFAULT-VALUE}.")
    String timeLimit;

    @Option(names = "--seed", description = {"Seed of the first run (run i uses seed+i-1): the failpoints' rolls and",
            "the model's own randomness; default: a fresh one. Not 0."})
    Long seed;

    @Option(names = "--full", paramLabel = "K", defaultValue = "1",
            description = "Failures printed in full per batch of the tour; the rest are counted (default ${DEFAULT-VALUE}).")
    int full;

    @Option(names = "--scale", defaultValue = "1.0",
            description = "Multiply the tour's numbers of runs (default ${DEFAULT-VALUE}: about a minute or two).")
    double scale;

    /** The tour's runs per batch: buggy without failpoints, buggy with the preset settings, fixed with them. */
    static final int TOUR_BUGGY_NONE = 1000;
    static final int TOUR_BUGGY_PRESET = 50;
    static final int TOUR_FIXED_PRESET = 300;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line, with one-line errors and exit status 2 for bad usage. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new RacesCli());
        cl.setParameterExceptionHandler((ex, args) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println(ex.getCommandLine().getCommandName() + ": " + ex.getMessage());
            err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            err.flush();
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof IllegalArgumentException) {
                cmd.getErr().println(cmd.getCommandName() + ": " + ex.getMessage());
                cmd.getErr().flush();
                return 2;
            }
            throw ex;
        });
        return cl;
    }

    @Override
    public Integer call() {
        Duration limit = parseDuration(spec, timeLimit);
        Long firstSeed = checkSeed(spec, seed);
        if (full < 0) {
            throw new ParameterException(spec.commandLine(), "--full must not be negative");
        }
        List<Batch.Spec> batches = new ArrayList<>();
        for (Race race : Races.all()) {
            RunContext ctx = new RunContext(limit, Map.of());
            Failpoints preset = Failpoints.preset(race);
            for (Variant v : race.variants().stream().filter(v -> !v.fixed()).toList()) {
                batches.add(new Batch.Spec(race, v, Failpoints.none(), scaled(TOUR_BUGGY_NONE), 0, ctx, firstSeed));
                batches.add(new Batch.Spec(race, v, preset, scaled(TOUR_BUGGY_PRESET), 0, ctx, firstSeed));
            }
            for (Variant v : race.variants().stream().filter(Variant::fixed).toList()) {
                batches.add(new Batch.Spec(race, v, preset, scaled(TOUR_FIXED_PRESET), 0, ctx, firstSeed));
            }
        }
        return execute(spec, batches, output.json, output.quiet, full, "the tour's --full K prints K per batch; 'run' has more options");
    }

    /** A --seed given: not 0 (0 would give the model a fresh sequence, which no replay repeats). */
    static Long checkSeed(CommandSpec spec, Long seed) {
        if (seed != null && seed == 0) {
            throw new ParameterException(spec.commandLine(), "--seed must not be 0");
        }
        return seed;
    }

    private int scaled(int n) {
        if (!(scale > 0) || scale > 1000) {
            throw new ParameterException(spec.commandLine(), "--scale must be in (0, 1000], not " + scale);
        }
        return Math.max(1, (int) Math.round(n * scale));
    }

    /** Runs the batches, printing each failure kept, then the summary (or JSON); the exit status. */
    static int execute(CommandSpec spec, List<Batch.Spec> batches, boolean json, boolean quiet, int keep,
                       String howToSeeMore) {
        return execute(spec, batches, json, quiet, keep, howToSeeMore, null);
    }

    /** {@link #execute}, writing each kept failure's timeline and replay file when {@code tracing} is given. */
    /** What to do when the agent is missing, for the commands that say so. */
    static final String HOW_TO_ATTACH = "(run with java -jar jfail-races.jar, or -javaagent:jfail-agent.jar)";

    static int execute(CommandSpec spec, List<Batch.Spec> batches, boolean json, boolean quiet, int keep,
                       String howToSeeMore, Tracing tracing) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!agentAttached() && batches.stream().anyMatch(b -> !b.failpoints().settings().isEmpty())) {
            err.println("jfail-races: warning: the jfail agent is not attached: failpoints will not fire " + HOW_TO_ATTACH);
        }
        Progress progress = new Progress(err, !quiet);
        List<Batch.Result> results = new ArrayList<>();
        for (Batch.Spec b : batches) {
            if (!json) {
                BatchReport.batchHeader(out, b);
            }
            Batch.Result r = Batch.run(b, keep, progress, f -> {
                if (!json) {
                    BatchReport.failure(out, b, f);
                }
                if (tracing != null) {
                    tracing.write(out, b, f, json);
                }
            });
            if (!json) {
                BatchReport.notShown(out, r, howToSeeMore);
            }
            results.add(r);
        }
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("agent", agentAttached());
            doc.put("batches", results.stream().map(Batch::json).toList());
            if (tracing != null) {
                doc.put("files", tracing.written());
            }
            out.println(Json.write(doc));
        } else {
            BatchReport.summary(out, results);
        }
        out.flush();
        boolean fixedFailed = results.stream().anyMatch(r -> r.spec().variant().fixed() && r.failureCount() > 0);
        return fixedFailed ? 1 : 0;
    }

    static boolean agentAttached() {
        try {
            Class<?> agent = Class.forName("dev.jfail.agent.JFailAgent");
            return (Boolean) agent.getMethod("installed").invoke(null);
        } catch (ReflectiveOperationException | LinkageError e) {
            return false;
        }
    }

    /** 500ms, 10s, 2m, or ISO-8601 (PT10S); a bare number is seconds. */
    static Duration parseDuration(CommandSpec spec, String s) {
        try {
            return Durations.parse("--time-limit:", s);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
