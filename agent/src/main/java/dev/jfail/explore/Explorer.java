package dev.jfail.explore;

import dev.jfail.core.Awaits;
import dev.jfail.core.FailPointRegistry;
import dev.jfail.core.SettingList;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Searches failpoint settings until a workload shows a symptom, shrinks the setting that did, and
 * hands back the smallest one with its rate, seed and record ({@link Exploration}).
 *
 * <pre>{@code
 * Exploration e = Explorer.of(seed -> account.transferTwiceConcurrently())   // the workload, run again and again
 *         .symptom(balance -> balance < 0)                                   // what must never happen
 *         .budget(Duration.ofSeconds(60), 10_000)
 *         .explore();
 * e.failpoints();   // "withdraw_checked=1*sleep(5)"
 * e.rate();         // 0.9
 * }</pre>
 *
 * The points it may use are every point the workload reaches (found by a plain first run and a
 * counting second one), or those given with {@link #points}. Every run is seeded (the failpoints'
 * seed and the seed handed to the workload are the same number, the run's index plus a base) and
 * recorded. A run that throws shows the symptom unless {@link #thrownIsSymptom(boolean)} says not.
 * One exploration at a time per registry: it resets the registry before and after every run.
 *
 * @param <R> what one run of the workload returns
 */
public final class Explorer<R> {

    /** One run of the workload; {@code seed} is the run's (also the failpoints'), for the workload's own randomness. */
    @FunctionalInterface
    public interface Workload<R> {
        R run(long seed) throws Exception;
    }

    private final Workload<R> workload;
    private Predicate<? super R> symptom = r -> false;
    private boolean thrownIsSymptom = true;
    private Function<? super R, String> describe = String::valueOf;
    private List<String> points;
    private Set<String> excluded = Set.of();
    private Duration budget = Duration.ofSeconds(60);
    private int maxRuns = Integer.MAX_VALUE;
    private Duration shrinkBudget;
    private int rateRuns = 20;
    private boolean shrink = true;
    private Long seed;
    private Set<Strategy> strategies = EnumSet.allOf(Strategy.class);
    private FailPointRegistry registry = FailPointRegistry.global();
    private Consumer<String> progress = line -> { };

    private Explorer(Workload<R> workload) {
        this.workload = Objects.requireNonNull(workload, "workload");
    }

    /** An explorer of {@code workload}. */
    public static <R> Explorer<R> of(Workload<R> workload) {
        return new Explorer<>(workload);
    }

    /** The symptom: true when a run's result shows the bug. Default: none (only a throwing run shows it). */
    public Explorer<R> symptom(Predicate<? super R> symptom) {
        this.symptom = Objects.requireNonNull(symptom, "symptom");
        return this;
    }

    /** Whether a run that throws shows the symptom (default true: a failed assertion, a panic). */
    public Explorer<R> thrownIsSymptom(boolean thrownIsSymptom) {
        this.thrownIsSymptom = thrownIsSymptom;
        return this;
    }

    /** How a result that shows the symptom is described in the record (default: {@code toString}). */
    public Explorer<R> describe(Function<? super R, String> describe) {
        this.describe = Objects.requireNonNull(describe, "describe");
        return this;
    }

    /** The only points to use (default: every declared point the workload reaches). Unknown names are refused. */
    public Explorer<R> points(List<String> points) {
        List<String> canonical = new ArrayList<>();
        for (String p : points) {
            canonical.add(FailPointRegistry.canonicalName(p.strip()));
        }
        this.points = List.copyOf(canonical);
        return this;
    }

    /** Points never to use, even when reached (a tool's own ordering points, say). */
    public Explorer<R> excluding(java.util.Collection<String> points) {
        Set<String> canonical = new java.util.HashSet<>();
        for (String p : points) {
            canonical.add(FailPointRegistry.canonicalName(p.strip()));
        }
        this.excluded = Set.copyOf(canonical);
        return this;
    }

    /** Stop searching after {@code time} or {@code runs} runs, whichever comes first (default 60 s). */
    public Explorer<R> budget(Duration time, int runs) {
        if (time.isNegative() || time.isZero() || runs < 1) {
            throw new IllegalArgumentException("a budget is some time and at least one run, not " + time + " and " + runs);
        }
        this.budget = time;
        this.maxRuns = runs;
        return this;
    }

    /** Time for shrinking and measuring the rate once found (default: the budget, at least 10 s). */
    public Explorer<R> shrinkBudget(Duration time) {
        this.shrinkBudget = time;
        return this;
    }

    /** Whether to shrink what is found (default true); without, the first hit's setting is handed back. */
    public Explorer<R> shrink(boolean shrink) {
        this.shrink = shrink;
        return this;
    }

    /** Runs made to measure the handed-back setting's rate (default 20). */
    public Explorer<R> rateRuns(int runs) {
        if (runs < 1) {
            throw new IllegalArgumentException("rate runs must be at least 1, not " + runs);
        }
        this.rateRuns = runs;
        return this;
    }

    /** The base seed (run i gets base + i); default: a fresh one, reported with what is found. */
    public Explorer<R> seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** The strategies allowed (default: all); {@link Strategy#SLEEPS_EVERYWHERE} alone is the plain baseline. */
    public Explorer<R> strategies(Set<Strategy> strategies) {
        if (strategies.isEmpty()) {
            throw new IllegalArgumentException("at least one strategy");
        }
        this.strategies = EnumSet.copyOf(strategies);
        return this;
    }

    /** The registry to set points in (default: the JVM's). */
    public Explorer<R> registry(FailPointRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        return this;
    }

    /** Where progress lines go (a terminal's status line, a log); default: nowhere. */
    public Explorer<R> progress(Consumer<String> progress) {
        this.progress = Objects.requireNonNull(progress, "progress");
        return this;
    }

    /**
     * Searches, and once found shrinks and measures; never throws for a symptom, only for bad
     * configuration. Every point is off and the registry's seed as it was when it returns.
     */
    public Exploration explore() {
        long seedBefore = registry.seed();
        try {
            return search();
        } finally {
            registry.reset();
            registry.seed(seedBefore);
        }
    }

    private Exploration search() {
        long start = System.nanoTime();
        long deadline = start + budget.toNanos();
        long base = seed != null ? seed : 1 + (ThreadLocalRandom.current().nextLong() & 0xffffffffL);
        Runs runs = new Runs(base);
        Map<String, Integer> tried = new LinkedHashMap<>();

        // a plain run loads the workload's classes, so their points are declared
        Trial hit = count(tried, runs.run(Candidate.none()));
        Reach reach = new Reach(allowedPoints());
        runs.reach = reach;
        if (hit == null && System.nanoTime() < deadline && runs.size() < maxRuns) {
            hit = count(tried, runs.run(Candidate.none()));   // every allowed point counts its crossings
        }
        Strategies strategies = new Strategies(reach, reach.canFail(registry), this.strategies, base);
        // a hit that shows the symptom in fewer than 2 of 8 further runs is kept aside, and the search goes on
        Map<Integer, Integer> baseHitsOf = new java.util.HashMap<>();
        int flakyHits = -1;
        Trial first = hit;
        int firstRuns = hit != null ? runs.size() : 0;
        Duration toFirst = hit != null ? elapsed(start) : null;
        Trial good = hit != null && baseHits(runs, hit, baseHitsOf) >= Shrinker.GOOD ? hit : null;
        int goodRuns = good != null ? firstRuns : 0;
        Duration toGood = good != null ? toFirst : null;
        Trial flaky = good == null ? hit : null;
        for (int t = 0; good == null && System.nanoTime() < deadline && runs.size() < maxRuns; t++) {
            Candidate c = strategies.next(t, new SplittableRandom(base + runs.size()));
            if (c == null) {
                break; // the workload reaches none of the points: nothing to try
            }
            Trial h = count(tried, runs.run(c));
            if (h != null) {
                Duration hitAt = elapsed(start);
                if (first == null) {
                    first = h;
                    firstRuns = runs.size();
                    toFirst = elapsed(start);
                }
                progress.accept("explore: symptom in run " + runs.size() + " with " + h.candidate() + "; checking it again");
                int again = baseHits(runs, h, baseHitsOf);
                if (again >= Shrinker.GOOD) {
                    good = h;
                    goodRuns = h.index() + 1;
                    toGood = hitAt;
                } else if (flaky == null || again > flakyHits) {
                    flaky = h;
                    flakyHits = again;
                }
            }
            progress.accept(String.format(java.util.Locale.ROOT, "explore: %d runs, %.1f s, %s, %s",
                    runs.size(), (System.nanoTime() - start) / 1e9, c.strategy(),
                    first == null ? "no symptom yet" : "symptom seen, not yet in a good share of runs"));
        }
        if (first == null) {
            return new Exploration(false, runs.size(), null, elapsed(start), null, 0, null, null, 0, 0, null,
                    reach.crossings(), tried, runs.trials);
        }
        hit = good != null ? good : flaky;
        progress.accept("explore: symptom with " + hit.candidate() + (good != null ? "; shrinking" : "; rarely, not shrunk"));
        long shrinkEnd = System.nanoTime() + (shrinkBudget != null ? shrinkBudget
                : budget.compareTo(Duration.ofSeconds(10)) < 0 ? Duration.ofSeconds(10) : budget).toNanos();
        Candidate shrunk = shrink && good != null
                ? new Shrinker(runs, reach, shrinkEnd, progress).shrink(hit, baseHitsOf.getOrDefault(hit.index(), 0))
                : hit.candidate();
        int hits = 0;
        int made = 0;
        Long hitSeed = null;
        for (int i = 0; i < rateRuns && (i == 0 || System.nanoTime() < shrinkEnd); i++) {
            Trial t = runs.run(shrunk);
            made++;
            if (t.symptom()) {
                hits++;
                hitSeed = hitSeed == null ? t.seed() : hitSeed;
            }
        }
        return new Exploration(true, firstRuns, toFirst, elapsed(start), first, goodRuns, toGood, shrunk, hits, made,
                hitSeed != null ? hitSeed : hit.seed(), reach.crossings(), tried, runs.trials);
    }

    /** How often the hit's setting shows the symptom again in {@link Shrinker#RUNS} runs. */
    private static int baseHits(Explorer<?>.Runs runs, Trial hit, Map<Integer, Integer> baseHitsOf) {
        int hits = 0;
        for (int i = 0; i < Shrinker.RUNS; i++) {
            hits += runs.run(hit.candidate()).symptom() ? 1 : 0;
        }
        baseHitsOf.put(hit.index(), hits);
        return hits;
    }

    private static Trial count(Map<String, Integer> tried, Trial t) {
        tried.merge(t.candidate().strategy(), 1, Integer::sum);
        return t.symptom() ? t : null;
    }

    private static Duration elapsed(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** The given points (each must be declared by now), or every declared point. */
    private List<String> allowedPoints() {
        if (points == null) {
            List<String> declared = new ArrayList<>(registry.declaredNames());
            declared.removeAll(excluded);
            return declared;
        }
        for (String p : points) {
            if (!registry.status(p).declared()) {
                throw new IllegalArgumentException("explore: point " + p + " is not declared by the workload's code"
                        + Awaits.undeclared(registry, p).replaceFirst("^; no loaded code declares it", ""));
            }
        }
        return points;
    }

    /** What a run threw, with the top of its stack: what the record of a hit shows. */
    static String stack(Throwable thrown) {
        java.io.StringWriter w = new java.io.StringWriter();
        thrown.printStackTrace(new java.io.PrintWriter(w));
        String[] lines = w.toString().split("\\R");
        return String.join("\n", java.util.Arrays.asList(lines).subList(0, Math.min(lines.length, 25)));
    }

    /** Runs of the workload, seeded base, base+1, ..., each recorded. */
    final class Runs {
        private final long base;
        private final List<Trial> trials = new ArrayList<>();
        private Reach reach;

        Runs(long base) {
            this.base = base;
        }

        int size() {
            return trials.size();
        }

        /** Runs the workload once under {@code c}: reset, seed, the settings (every other allowed point counting), the holds. */
        Trial run(Candidate c) {
            int index = trials.size();
            long runSeed = base + index;
            registry.reset();
            registry.seed(runSeed);
            Map<String, String> all = new LinkedHashMap<>();
            if (reach != null) {
                reach.allowed().forEach(p -> all.put(p, Reach.COUNTING));
            }
            all.putAll(c.settings());
            registry.setAll(SettingList.join(all));
            R result = null;
            Throwable thrown = null;
            long t0 = System.nanoTime();
            Conductor conductor = Conductor.start(registry, c.orders());
            try {
                result = workload.run(runSeed);
            } catch (Exception | AssertionError e) {
                thrown = e;
            } finally {
                conductor.close();
                if (reach != null) {
                    reach.observe(registry);
                }
                registry.reset();
            }
            long micros = (System.nanoTime() - t0) / 1000;
            boolean shows = thrown != null ? thrownIsSymptom : symptom.test(result);
            String detail = !shows ? null : thrown != null ? stack(thrown) : describe.apply(result);
            List<Long> held = new ArrayList<>();
            for (int i = 0; i < c.orders().size(); i++) {
                held.add(conductor.heldMillis(i));
            }
            Trial t = new Trial(index, runSeed, c, shows, micros, held, detail);
            trials.add(t);
            return t;
        }
    }
}
