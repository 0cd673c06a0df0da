package dev.jfail.kernel.runner;

import dev.jfail.FailPoints;
import dev.jfail.kernel.race.Race;
import dev.jfail.kernel.race.Races;
import dev.jfail.kernel.race.RunContext;
import dev.jfail.kernel.race.Variant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code run [RACE...]}: runs races N times with chosen failpoints and prints what happened. */
@Command(name = "run",
        description = {"Run races N times each and report every failure as the kernel prints it, then a summary:",
                "runs, failures, time to first failure, median time per run."})
final class RunCommand extends RaceCommand implements Callable<Integer> {

    @Parameters(paramLabel = "RACE", arity = "0..*", description = "Races to run (default: all). See 'list'.")
    List<String> raceIds = new ArrayList<>();

    @Option(names = "--variant", paramLabel = "V", description = "Variant to run (default: every variant).")
    String variant;

    @Option(names = {"-n", "--iterations"}, paramLabel = "N", defaultValue = "100",
            description = "Runs per race and variant (default ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--failpoints", paramLabel = "SETTINGS", defaultValue = Failpoints.PRESET,
            description = {"'preset' (default: each race's preset settings, see 'list': cem's for collapse,",
                    "the project's own for the others), 'none', or 'name=setting;...' in the",
                    "debug.fail_point language, e.g. 'vmob_scan_rename_unlock=20%%return(1)'."})
    String failpoints;

    @Option(names = "--param", paramLabel = "K=V", description = "A race parameter, e.g. f_iosize=4096 (see 'list').")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--max-failures", paramLabel = "K", defaultValue = "0",
            description = "Stop a race/variant after K failures (default 0: never).")
    int maxFailures;

    @Option(names = "--full", paramLabel = "K", defaultValue = "3",
            description = "Failures printed in full per race/variant; the rest are counted (default ${DEFAULT-VALUE}).")
    int full;

    @Option(names = "--time-limit", paramLabel = "DURATION", description = "Time limit of one run (default 10s).")
    String timeLimit;

    @Option(names = "--seed", description = {"Seed of the first run (run i uses seed+i-1): the failpoints' rolls and",
            "the model's own randomness; default: a fresh one. A failure prints its run's seed:",
            "'-n 1 --seed N' replays its rolls."})
    Long seed;

    @Mixin
    TraceOptions trace;

    @Override
    public Integer call() {
        if (iterations < 1) {
            throw new ParameterException(spec.commandLine(), "--iterations must be at least 1, not " + iterations);
        }
        if (full < 0 || maxFailures < 0) {
            throw new ParameterException(spec.commandLine(), "--full and --max-failures must not be negative");
        }
        Duration limit = RacesCli.parseDuration(spec, timeLimit != null ? timeLimit : parent.timeLimit);
        Long firstSeed = RacesCli.checkSeed(spec, seed != null ? seed : parent.seed);
        List<Race> races = races();
        // everything is checked before anything runs: variants, parameters, failpoint settings
        races.forEach(race -> checkParams(race, params));
        Map<String, List<Variant>> variants = new LinkedHashMap<>();
        races.forEach(race -> variants.put(race.id(), variant == null ? race.variants() : List.of(variant(race, variant))));
        Failpoints custom = customFailpoints();
        List<Batch.Spec> batches = new ArrayList<>();
        Tracing tracing = trace.tracing();
        for (Race race : races) {
            Failpoints fps = switch (failpoints) {
                case Failpoints.PRESET -> Failpoints.preset(race);
                case Failpoints.NONE -> Failpoints.none();
                default -> custom;
            };
            for (Variant v : variants.get(race.id())) {
                batches.add(new Batch.Spec(tracing == null ? race : tracing.wrap(race), v, fps, iterations, maxFailures, new RunContext(limit, params), firstSeed));
            }
        }
        return RacesCli.execute(spec, batches, output.json(parent), output.quiet(parent), full,
                "--full K prints K per batch", tracing);
    }

    private List<Race> races() {
        if (raceIds.isEmpty()) {
            return Races.all();
        }
        Set<Race> chosen = new LinkedHashSet<>();
        for (String id : raceIds) {
            chosen.add(race(id));
        }
        return new ArrayList<>(chosen);
    }

    /** A custom setting string, checked now (syntax, and that the names are failpoints of the model); null for preset or none. */
    private Failpoints customFailpoints() {
        if (failpoints.equals(Failpoints.PRESET) || failpoints.equals(Failpoints.NONE)) {
            return null;
        }
        if (failpoints.equals("seed")) {
            throw new ParameterException(spec.commandLine(), "--failpoints seed: the races' own settings are called"
                    + " 'preset' now; the random seed is --seed");
        }
        Map<String, String> parsed;
        try {
            parsed = FailPoints.parseList(failpoints);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--failpoints: " + e.getMessage());
        }
        Set<String> known = new LinkedHashSet<>();
        Races.all().forEach(r -> known.addAll(r.settings().failpoints().keySet()));
        for (String name : parsed.keySet()) {
            if (!known.contains(name)) {
                throw new ParameterException(spec.commandLine(), "--failpoints: unknown failpoint '" + name
                        + "'; the model's failpoints: " + String.join(", ", known));
            }
        }
        Failpoints custom = Failpoints.custom(parsed);
        try {
            FailPoints.reset();
            custom.arm();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--failpoints: " + e.getMessage());
        } finally {
            FailPoints.reset();
        }
        return custom;
    }
}
