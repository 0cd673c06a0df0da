package dev.jfail.kernel.runner;

import dev.jfail.core.Json;
import dev.jfail.core.RuntimeDeclarations;
import dev.jfail.explore.Budget;
import dev.jfail.explore.Candidate;
import dev.jfail.explore.Exploration;
import dev.jfail.explore.Explorer;
import dev.jfail.explore.Specs;
import dev.jfail.explore.Strategy;
import dev.jfail.kernel.race.Race;
import dev.jfail.kernel.race.Races;
import dev.jfail.kernel.race.RunContext;
import dev.jfail.kernel.race.RunResult;
import dev.jfail.kernel.race.Variant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code explore RACE}: finds failpoint settings that make a race's variant fail, from the model's
 * declared points alone (never the race's preset settings), shrinks them, and hands back the
 * setting, its rate and seed, the first failure, and a Spock feature and a JUnit 5 test.
 */
@Command(name = "explore",
        description = {"Search failpoint settings until RACE fails, without its preset settings: random delays,",
                "injected failures, K-th crossings, then held orderings of pairs and triples of points.",
                "Then shrink the setting to the smallest that still fails in a good share of runs, and",
                "print it with its rate, its seed, the first failure, and a Spock feature and a JUnit 5 test."},
        exitCodeListHeading = "Exit status:%n",
        exitCodeList = {"0:a failure was found", "1:none within the budget (what was tried is printed)",
                "2:bad usage"})
final class ExploreCommand extends RaceCommand implements Callable<Integer> {

    @Parameters(paramLabel = "RACE", description = "The race to explore (see 'list').")
    String raceId;

    @Option(names = "--variant", paramLabel = "V", description = "The variant (default: the race's first buggy one).")
    String variant;

    @Option(names = "--budget", paramLabel = "DURATION", defaultValue = "60s",
            description = "How long to search (e.g. 10s, 2m; default ${DEFAULT-VALUE}); shrinking gets as long again at most.")
    String budget;

    @Option(names = "--max-runs", paramLabel = "N", defaultValue = "100000", description = "The search's most runs (default ${DEFAULT-VALUE}).")
    int maxRuns;

    @Option(names = "--points", paramLabel = "a,b,...|auto[@PACKAGE.*]", split = ",",
            description = {"Only these points (default: every point of the model the race's workload reaches);",
                    "'auto': the model's automatic points alone (auto@" + AUTO + ".*, those of the runner and",
                    "the races' workloads left out), not its @FailPoint ones; 'auto@" + AUTO + ".vm.*': those of",
                    "a part of the model."})
    List<String> points;

    /** The package whose automatic points {@code --points auto} explores. */
    static final String AUTO = "dev.jfail.kernel";

    @Option(names = "--strategies", paramLabel = "S,...", split = ",",
            description = {"Only these strategies (default: all but exceptions): delays, failures, counts, orders, triples,",
                    "sleeps-everywhere (the plain baseline: 50%%sleep(ms) at every reached point), exceptions."})
    List<String> strategies;

    @Option(names = "--no-shrink", description = "Hand back the first failing setting as it was.")
    boolean noShrink;

    @Option(names = "--rate-runs", paramLabel = "N", defaultValue = "20",
            description = "Runs that measure the handed-back setting's rate (default ${DEFAULT-VALUE}).")
    int rateRuns;

    @Option(names = "--param", paramLabel = "K=V", description = "A race parameter (see 'list').")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--time-limit", paramLabel = "DURATION", defaultValue = "2s",
            description = {"Time limit of one run (default ${DEFAULT-VALUE}: a hundred times a plain run; a run that",
                    "only runs out of time, as a failure injected at every crossing of a loop's point can make it, is",
                    "not the symptom, and a short limit keeps it from eating the budget)."})
    String timeLimit;

    @Option(names = "--seed", description = "Base seed (run i uses seed+i): the failpoints' rolls and the model's randomness.")
    Long seed;

    @Mixin
    TraceOptions trace;

    @Override
    public Integer call() {
        Race race = race(raceId);
        Variant v = variant(race);
        Duration search = budget();
        Duration limit = RacesCli.parseDuration(spec, timeLimit);
        Long base = RacesCli.checkSeed(spec, seed != null ? seed : parent.seed);
        if (maxRuns < 1 || rateRuns < 1) {
            throw new ParameterException(spec.commandLine(), "--max-runs and --rate-runs must be at least 1");
        }
        checkParams(race, params);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!RacesCli.agentAttached()) {
            err.println("jfail-races: the jfail agent is not attached: no failpoint can fire, nothing to explore "
                    + RacesCli.HOW_TO_ATTACH);
            return 2;
        }
        RunContext ctx = new RunContext(limit, params);
        Progress progress = new Progress(err, !output.quiet(parent));
        String label = race.id() + "/" + v.name();
        // with --timeline/--record, runs are recorded until the first failure, whose record is kept
        Tracing tracing = trace.tracing();
        Race recorded = tracing != null ? tracing.wrap(race) : race;
        RunResult[] firstFailure = {null};
        long[] firstFailureSeed = {0};
        Explorer<RunResult> explorer = Explorer.<RunResult>of(s -> {
                    RunResult r = (firstFailure[0] == null ? recorded : race).runOnce(v.name(), ctx.withSeed(s));
                    if (firstFailure[0] == null && symptom(r)) {
                        firstFailure[0] = r;
                        firstFailureSeed[0] = s;
                    }
                    return r;
                })
                .symptom(ExploreCommand::symptom)
                .excluding(Tracing.ORDERING)
                .describe(r -> r.kind() + "\n" + r.report())
                .budget(search, maxRuns)
                .shrink(!noShrink)
                .rateRuns(rateRuns)
                .strategies(strategies())
                .progress(line -> progress.line(() -> label + ": " + line));
        if (points != null) {
            try {
                explorer.points(points.size() == 1 && (points.get(0).equals("auto") || points.get(0).startsWith("auto@"))
                        ? automaticPoints(points.get(0).equals("auto") ? "auto@" + AUTO + ".*" : points.get(0), race, v, ctx)
                        : points);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--points: " + e.getMessage());
            }
        }
        if (base != null) {
            explorer.seed(base);
        }
        Exploration e;
        try {
            e = explorer.explore();
        } catch (IllegalArgumentException bad) {
            throw new ParameterException(spec.commandLine(), bad.getMessage());
        } finally {
            dev.jfail.FailPoints.reset();
            progress.done();
        }
        Specs.Code code = code(race, v, limit);
        if (output.json) {
            Map<String, Object> doc = json(race, v, e, code);
            if (tracing != null && e.found()) {
                writeFirst(new PrintWriter(java.io.Writer.nullWriter()), tracing, race, v, ctx, e, firstFailure[0], firstFailureSeed[0], true);
                doc.put("files", tracing.written());
            }
            out.println(Json.write(doc));
        } else {
            text(out, race, v, e, code);
            if (tracing != null && e.found()) {
                writeFirst(out, tracing, race, v, ctx, e, firstFailure[0], firstFailureSeed[0], false);
            }
        }
        out.flush();
        return e.found() ? 0 : 1;
    }

    /**
     * Declares {@code declaration} ({@code auto@dev.jfail.kernel.*} or a part of it) and runs the workload once, plainly, so that the classes
     * it uses are loaded and their automatic points placed; returns those in the model's own code: not
     * in the runner, nor in the races' workloads and harness (a test's code, where a user would not
     * point {@code auto@} either; a failure injected in the harness's verdict would be no race).
     */
    private static List<String> automaticPoints(String declaration, Race race, Variant v, RunContext ctx) {
        RuntimeDeclarations.declare(declaration);
        race.runOnce(v.name(), ctx);
        return RuntimeDeclarations.automaticPoints().stream()
                .filter(p -> RuntimeDeclarations.declarationsOf(p).stream().noneMatch(
                        d -> d.contains("@" + AUTO + ".runner.") || d.contains("@" + AUTO + ".race.")))
                .toList();
    }

    /** The timeline page and replay file of the first failure, as {@code run --timeline/--record} writes them. */
    private void writeFirst(PrintWriter out, Tracing tracing, Race race, Variant v, RunContext ctx, Exploration e,
                            RunResult result, long seed, boolean json) {
        try {
            for (Path dir : new Path[] {trace.timelineDir, trace.recordDir}) {
                if (dir != null) {
                    Files.createDirectories(dir);
                }
            }
        } catch (IOException io) {
            throw new ParameterException(spec.commandLine(), "cannot make the output directory: " + io.getMessage());
        }
        Batch.Spec batch = new Batch.Spec(race, v, Failpoints.custom(e.firstHit().candidate().settings()), e.runs(), 0, ctx, seed);
        tracing.write(out, batch, new Batch.Failure(e.firstHit().index() + 1, seed, result), json);
    }

    /**
     * A panic, an oops, a deadlock or lost data; not a run that only ran out of its time limit, which
     * long injected sleeps can cause in any variant, fixed or not.
     */
    static boolean symptom(RunResult r) {
        return r.failed() && r.kind() != RunResult.Kind.TIMEOUT;
    }

    /** What the handed-back tests run: the race's workload once, and its failure as the symptom. */
    private Specs.Code code(Race race, Variant v, Duration limit) {
        String params = this.params.isEmpty() ? "Map.of()" : "Map.of(" + String.join(", ",
                this.params.entrySet().stream().map(p -> "\"" + p.getKey() + "\", \"" + p.getValue() + "\"").toList()) + ")";
        return new Specs.Code(race.id() + " " + v.name() + " survives the explored setting",
                List.of("dev.jfail.kernel.race.Races", "dev.jfail.kernel.race.RunContext", "dev.jfail.kernel.race.RunResult", "java.time.Duration", "java.util.Map"),
                "Races.byId(\"" + race.id() + "\").runOnce(\"" + v.name() + "\", new RunContext(Duration.ofMillis("
                        + limit.toMillis() + "), " + params + "))",
                "result.failed() && result.kind() != RunResult.Kind.TIMEOUT");
    }

    private void text(PrintWriter out, Race race, Variant v, Exploration e, Specs.Code code) {
        String label = race.id() + "/" + v.name();
        out.printf("== explore %s: points reached (most crossings in one run): %s%n", label, e.reached());
        if (!e.found()) {
            out.printf("nothing found: %s%n", e.summary());
            out.println("(a fixed variant should end here; for a buggy one, try a longer --budget or other --points)");
            return;
        }
        out.printf("first failure after %d runs (%s) with %s [%s]%n", e.runs(), seconds(e.toFirst()),
                e.firstHit().candidate(), e.firstHit().candidate().strategy());
        out.printf("shrunk to: FAILPOINTS='%s'%s%n", e.failpoints(), e.shrunk().needsHolds() ? " + " + e.shrunk().orders() : "");
        out.printf("it fails in %d of %d runs (%.0f%%): %s%s; a failing run's seed: %d%n", e.rateHits(), e.rateRuns(),
                100 * e.rate(), e.finding().text(), e.plainRuns() > 0 ? "; " + e.plainRate() : "", e.seed());
        out.printf("replay: %s%n", replay(race, v, e));
        out.printf("%n--- the first failure (run %d, seed %d): %s%n", e.firstHit().index(), e.firstHit().seed(),
                e.firstHit().detail());
        out.printf("%n--- a Spock feature (the symptom must not show once the race is fixed):%n%s", Specs.spock(e, code));
        out.printf("%n--- a JUnit 5 test:%n%s", Specs.junit(e, code));
        out.printf("%ntotal %s, %d runs%n", seconds(e.total()), e.trials().size());
    }

    /**
     * The {@code run} line that plays the rate's runs again: as many, from the seed of the first of
     * them (run i of {@code run} uses seed+i-1, as the explorer's runs do), each armed afresh.
     */
    static String replay(Race race, Variant v, Exploration e) {
        int n = Math.max(1, e.rateRuns());
        long first = e.rateRuns() > 0 ? e.trials().get(e.trials().size() - e.rateRuns()).seed() : e.seed();
        return String.format(Locale.ROOT, "java%s -jar kernel-model/target/jfail-races.jar run %s --variant %s -n %d --seed %d --failpoints '%s'",
                e.points().isEmpty() ? "" : " -Djfail.points='" + e.points() + "'", race.id(), v.name(), n, first, e.failpoints());
    }

    private static Map<String, Object> json(Race race, Variant v, Exploration e, Specs.Code code) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("race", race.id());
        m.put("variant", v.name());
        m.put("found", e.found());
        m.put("seconds", round(e.found() ? e.toFirst() : e.total()));
        m.put("runs", e.runs());
        m.put("failpoints", e.found() ? e.failpoints() : null);
        m.put("seed", e.found() ? e.seed() : null);
        m.put("rate", e.found() ? e.rate() : null);
        m.put("replay", e.found() ? replay(race, v, e) : null);
        m.put("spec", e.found() ? Specs.spock(e, code) : null);
        m.put("junit", e.found() ? Specs.junit(e, code) : null);
        m.put("holds", e.found() ? e.shrunk().orders().stream().map(Object::toString).toList() : List.of());
        m.put("rateRuns", e.rateRuns());
        m.put("finding", e.found() ? e.finding().name().toLowerCase(Locale.ROOT) : null);
        m.put("plainHits", e.plainHits());
        m.put("plainRuns", e.plainRuns());
        m.put("points", e.points());
        m.put("watched", e.watched());
        m.put("multiThread", e.multiThread());
        m.put("goodSeconds", e.toGood() != null ? round(e.toGood()) : null);
        m.put("goodRuns", e.toGood() != null ? e.goodRuns() : null);
        m.put("firstFailpoints", e.found() ? e.firstHit().candidate().toString() : null);
        m.put("firstStrategy", e.found() ? e.firstHit().candidate().strategy() : null);
        m.put("firstRun", e.found() ? e.firstHit().index() : null);
        m.put("firstSeed", e.found() ? e.firstHit().seed() : null);
        m.put("firstReport", e.found() ? e.firstHit().detail() : null);
        m.put("complexity", e.found() ? e.shrunk().complexity() : null);
        Map<String, String> preset = new LinkedHashMap<>(race.settings().failpoints());
        preset.values().removeIf(setting -> setting.equals("off"));
        m.put("presetFailpoints", new Candidate("preset", preset, List.of()).failpoints());
        m.put("presetComplexity", new Candidate("preset", preset, List.of()).complexity());
        m.put("totalSeconds", round(e.total()));
        m.put("totalRuns", e.trials().size());
        m.put("reached", e.reached());
        m.put("tried", e.tried());
        return m;
    }

    private static double round(Duration d) {
        return Math.round(d.toMillis() / 10.0) / 100.0;
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toNanos() / 1e9);
    }

    private Variant variant(Race race) {
        if (variant == null) {
            return race.variants().stream().filter(x -> !x.fixed()).findFirst().orElse(race.variants().get(0));
        }
        return variant(race, variant);
    }

    private Duration budget() {
        try {
            return Budget.parse(budget);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--budget: " + e.getMessage());
        }
    }

    private Set<Strategy> strategies() {
        if (strategies == null || strategies.isEmpty()) {
            return ModelExploration.STRATEGIES;
        }
        Set<Strategy> chosen = EnumSet.noneOf(Strategy.class);
        List<String> known = new ArrayList<>();
        for (Strategy s : Strategy.values()) {
            known.add(s.label());
        }
        for (String name : strategies) {
            Strategy s = null;
            for (Strategy c : Strategy.values()) {
                if (c.label().equals(name.strip())) {
                    s = c;
                }
            }
            if (s == null) {
                throw new ParameterException(spec.commandLine(), "--strategies: unknown strategy '" + name
                        + "'; the strategies: " + String.join(", ", known));
            }
            chosen.add(s);
        }
        return chosen;
    }
}
