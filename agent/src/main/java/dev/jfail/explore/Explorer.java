package dev.jfail.explore;

import dev.jfail.core.Awaits;
import dev.jfail.core.FailPointRegistry;

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
 * So do a run that hangs (it does not return within {@link #timeLimit}, nor once every point is
 * off), a deadlock, and an exception that kills another thread. An exception the explorer injected
 * ({@code panic}) that only reaches the top of a thread, the workload's or the one it was thrown in,
 * is not a symptom: the workload would fail for the injection itself (see {@link Finding}).
 * One exploration at a time per registry: it resets the registry before and after every run. With
 * {@link #jvms}, the points of other JVMs take part too, named {@code JVM:POINT}.
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
    private List<Host> others = List.of();
    /** Where the points are during {@link #explore()}: this JVM's registry and the other JVMs'. */
    private Hosts hosts;
    private Consumer<String> progress = line -> { };
    private Duration timeLimit;

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

    /**
     * Other JVMs whose points take part (their handles, from {@link dev.jfail.FailPoints#jvm(long)} or the
     * launcher, open while it explores): their points are reached, counted, set and held as this JVM's
     * are, named {@code JVM:POINT} ({@link dev.jfail.core.JvmPoint}), and every run resets and seeds
     * them too; an order may hold a thread in one JVM until another JVM's point is reached. Each
     * needs a name of its own. No exceptions are injected there (see {@link JvmHost}).
     */
    public Explorer<R> jvms(java.util.Collection<? extends dev.jfail.Jvm> jvms) {
        List<Host> hs = new ArrayList<>();
        Set<Long> pids = new java.util.HashSet<>();
        for (dev.jfail.Jvm jvm : jvms) {
            if (pids.add(jvm.pid())) {   // two handles on one JVM: its points once
                hs.add(new JvmHost(jvm));
            }
        }
        return hosts(hs);
    }

    /** The same, for a few handles. */
    public Explorer<R> jvms(dev.jfail.Jvm... jvms) {
        return jvms(List.of(jvms));
    }

    /** Other places of points, each with its qualifier (what tests use: a second registry as another JVM). */
    Explorer<R> hosts(List<Host> others) {
        new Hosts(new LocalHost(registry), others);   // refuses two of one name now, not when it explores
        this.others = List.copyOf(others);
        return this;
    }

    /**
     * How long one run may take before the explorer turns every point off and, a second later,
     * calls it a hang (default: 50 times the plain run, at least 10 s).
     */
    public Explorer<R> timeLimit(Duration limit) {
        if (limit.isNegative() || limit.isZero()) {
            throw new IllegalArgumentException("a run's time limit is some time, not " + limit);
        }
        this.timeLimit = limit;
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
        hosts = new Hosts(new LocalHost(registry), others);
        List<Long> seedsBefore = hosts.seeds();
        try (Watchdog watchdog = new Watchdog()) {
            return search(watchdog);
        } finally {
            hosts.resetWhatIsThere();
            hosts.seeds(seedsBefore);
        }
    }

    private Exploration search(Watchdog watchdog) {
        long start = System.nanoTime();
        long deadline = start + budget.toNanos();
        long base = seed != null ? seed : 1 + (ThreadLocalRandom.current().nextLong() & 0xffffffffL);
        Runs runs = new Runs(base, watchdog);
        Map<String, Integer> tried = new LinkedHashMap<>();

        // a plain run loads the workload's classes, so their points are declared
        Trial hit = count(tried, runs.run(Candidate.none()));
        runs.limitMillis = timeLimit != null ? timeLimit.toMillis()
                : Math.max(10_000, 50 * runs.trials.get(0).micros() / 1000);
        Reach reach = new Reach(allowedPoints());
        reach.readSites(hosts);
        runs.reach = reach;
        if (System.nanoTime() < deadline && runs.size() < maxRuns) {
            // every allowed point counts its crossings, and the recorder says which threads made them when
            Trial counted = count(tried, runs.run(Candidate.none()));
            hit = hit != null ? hit : counted;
        }
        progress.accept("explore: " + reach.watching());
        Strategies strategies = new Strategies(reach, reach.canFail(), this.strategies, base);
        // a hit that shows the symptom in fewer than 2 of 8 further runs is kept aside, and the search goes on;
        // when the plain runs show it now and then (a sighting), only a setting that shows it more often will do,
        // and the search goes on until one shows it in nearly every run, or the budget ends
        Map<Integer, Integer> baseHitsOf = new java.util.HashMap<>();
        int flakyHits = -1;
        Trial first = hit;
        int firstRuns = hit != null ? hit.index() + 1 : 0;
        Duration toFirst = hit != null ? elapsed(start) : null;
        int plainHits = hit != null ? baseHits(runs, hit, baseHitsOf) : -1;
        int bar = plainHits < 0 ? Shrinker.GOOD : Math.max(Shrinker.GOOD, plainHits + 2);
        Trial good = plainHits >= NEARLY_ALL ? hit : null;   // the plain run shows it nearly always: nothing to raise
        int goodHits = good != null ? plainHits : -1;
        int goodRuns = good != null ? firstRuns : 0;
        Duration toGood = good != null ? toFirst : null;
        Trial flaky = good == null ? hit : null;
        flakyHits = flaky != null ? plainHits : -1;
        Trial better = null;
        int betterHits = -1;
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
                progress.accept("explore: symptom (" + h.finding().text() + ") in run " + runs.size() + " with "
                        + h.candidate() + "; checking it again");
                int again = baseHits(runs, h, baseHitsOf);
                if (again >= bar && (plainHits < 0 || again >= NEARLY_ALL)) {
                    good = h;
                    goodHits = again;
                } else if (again >= bar && again > betterHits) {
                    better = h;     // more often than the plain runs; the search goes on for more still
                    betterHits = again;
                } else if (flaky == null || again > flakyHits) {
                    flaky = h;
                    flakyHits = again;
                }
                if ((good == h || better == h) && toGood == null) {
                    goodRuns = h.index() + 1;
                    toGood = hitAt;
                }
            }
            if (t % 16 == 15) {
                runs.recordNext = true;   // now and then, which threads cross the points, as paths change
            }
            progress.accept(String.format(java.util.Locale.ROOT, "explore: %d runs, %.1f s, %s, %s, %s",
                    runs.size(), (System.nanoTime() - start) / 1e9, c.strategy(), reach.watching(),
                    first == null ? "no symptom yet" : plainHits >= 0 && better == null
                            ? "symptom without failpoints in " + plainHits + " of " + Shrinker.RUNS + " runs; searching for more"
                            : better != null ? "symptom in " + betterHits + " of " + Shrinker.RUNS + " runs; searching for more"
                            : "symptom seen, not yet in a good share of runs"));
        }
        if (good == null && better != null) {
            good = better;
            goodHits = betterHits;
        }
        Map<String, String> declared = Map.of();
        if (first == null) {
            return new Exploration(false, runs.size(), null, elapsed(start), null, 0, null, null, 0, 0, null,
                    reach.crossings(), tried, runs.trials, null, 0, 0, declared, reach.allowed().size(), reach.multiThread(),
                    hosts.names());
        }
        hit = good != null ? good : flaky;
        progress.accept("explore: symptom with " + hit.candidate() + (good != null ? "; shrinking" : "; rarely, not shrunk"));
        long shrinkEnd = System.nanoTime() + (shrinkBudget != null ? shrinkBudget
                : budget.compareTo(Duration.ofSeconds(10)) < 0 ? Duration.ofSeconds(10) : budget).toNanos();
        Candidate shrunk = shrink && good != null && !hit.candidate().equals(Candidate.none())
                ? new Shrinker(runs, reach, shrinkEnd, progress).shrink(hit, goodHits, bar)
                : hit.candidate();
        Rate rate = rate(runs, shrunk, shrinkEnd);
        Rate plain = plainHits < 0 ? new Rate(0, 0, null, null)
                : shrunk.size() == 0 ? rate : rate(runs, Candidate.none(), shrinkEnd);
        Finding finding = rate.finding != null ? rate.finding : hit.finding();
        return new Exploration(true, firstRuns, toFirst, elapsed(start), first, goodRuns, toGood, shrunk, rate.hits,
                rate.made, rate.seed != null ? rate.seed : hit.seed(), reach.crossings(), tried, runs.trials, finding,
                plain.hits, plain.made, Declarations.of(shrunk), reach.allowed().size(), reach.multiThread(), hosts.names());
    }

    /** Of {@link Shrinker#RUNS} runs, this many show the symptom nearly always (the handed-back test needs few repeats). */
    static final int NEARLY_ALL = 7;

    private record Rate(int hits, int made, Long seed, Finding finding) {
    }

    /** {@code c}'s rate in {@link #rateRuns} runs (fewer when the shrinking's time is up; at least one). */
    private Rate rate(Runs runs, Candidate c, long end) {
        int hits = 0;
        int made = 0;
        Long hitSeed = null;
        Finding finding = null;
        for (int i = 0; i < rateRuns && (i == 0 || System.nanoTime() - end < 0); i++) {
            Trial t = runs.run(c);
            made++;
            if (t.symptom()) {
                hits++;
                hitSeed = hitSeed == null ? t.seed() : hitSeed;
                finding = finding == null ? t.finding() : finding;
            }
        }
        return new Rate(hits, made, hitSeed, finding);
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
            List<String> declared = new ArrayList<>(hosts.declaredNames());
            declared.removeAll(excluded);
            return declared;
        }
        for (String p : points) {
            if (!hosts.status(p).declared()) {
                throw new IllegalArgumentException("explore: point " + p + " is not declared by the workload's code"
                        + (hosts.route(p).local() ? Awaits.undeclared(registry, p).replaceFirst("^; no loaded code declares it", "")
                        : " in jvm " + hosts.route(p).jvm()));
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
        private final Watchdog watchdog;
        private final List<Trial> trials = new ArrayList<>();
        private Reach reach;
        /** Whether the next run is recorded, for which threads cross which points (the counting run is). */
        private boolean recordNext = true;
        private long limitMillis = Long.MAX_VALUE / 2;

        Runs(long base, Watchdog watchdog) {
            this.base = base;
            this.watchdog = watchdog;
        }

        int size() {
            return trials.size();
        }

        /** Runs the workload once under {@code c}: reset, seed, the settings (every other allowed point counting), the holds. */
        Trial run(Candidate c) {
            try {
                return runOnce(c);
            } catch (RuntimeException e) {
                List<String> gone = hosts.gone();
                if (gone.isEmpty()) {
                    throw e;
                }
                throw new IllegalStateException("explore: " + String.join(", ", gone) + " exited during run "
                        + (trials.size() + 1) + " (" + c + "): " + e.getMessage(), e);
            }
        }

        private Trial runOnce(Candidate c) {
            int index = trials.size();
            long runSeed = base + index;
            hosts.reset();
            hosts.seed(runSeed);
            Map<String, String> all = new LinkedHashMap<>();
            if (reach != null) {
                reach.allowed().forEach(p -> all.put(p, Reach.COUNTING));
            }
            all.putAll(c.settings());
            hosts.setAll(all);
            R result = null;
            Throwable thrown = null;
            boolean record = reach != null && recordNext;
            if (record) {
                hosts.beginRecording();
            }
            long t0 = System.nanoTime();
            Conductor conductor = Conductor.start(hosts, c.orders());
            Watchdog.Watch watch = watchdog.watch(Thread.currentThread(), limitMillis, () -> {
                try {
                    if (reach != null) {
                        reach.observe(hosts);   // before the reset forgets the crossings
                    }
                } finally {
                    hosts.resetWhatIsThere();
                }
            });
            Finding hung;
            try {
                result = workload.run(runSeed);
            } catch (Exception | AssertionError e) {
                thrown = e;
            } finally {
                hung = watch.end();
                conductor.close();
                if (reach != null) {
                    reach.observe(hosts);
                    if (record) {
                        reach.observeThreads(hosts.endRecording());
                        recordNext = false;
                    }
                }
                hosts.reset();
            }
            long micros = (System.nanoTime() - t0) / 1000;
            // any point's panic: a thread that dies of one may do so after its run has returned
            Set<String> injected = reach != null ? Set.copyOf(reach.allowed()) : c.panicking();
            Finding finding;
            String detail = null;
            if (hung != null) {
                finding = hung;
                detail = hung.text() + " (no return within " + limitMillis + " ms, nor " + Watchdog.GRACE_MILLIS
                        + " ms after every point was off)" + (thrown != null ? "\n" + stack(thrown) : "");
            } else if (thrown != null && !Injected.by(thrown, injected) && !injectedDied(watchdog.uncaught(), injected)) {
                finding = thrownIsSymptom ? Finding.THROWN : null;
                detail = stack(thrown);
            } else if (thrown == null && symptom.test(result) && !injectedDied(watchdog.uncaught(), injected)) {
                detail = describe.apply(result);
                finding = Injected.by(detail, injected) ? null : Finding.WRONG_DATA;
            } else {
                finding = null;
            }
            if (finding == null) {
                for (String error : watchdog.uncaught()) {
                    if (!Injected.by(error, injected)) {
                        finding = Finding.ERROR_IN_ANOTHER_THREAD;
                        detail = error;
                        break;
                    }
                }
            }
            List<Long> held = new ArrayList<>();
            for (int i = 0; i < c.orders().size(); i++) {
                held.add(conductor.heldMillis(i));
            }
            Trial t = new Trial(index, runSeed, c, finding != null, micros, held, finding != null ? detail : null, finding);
            trials.add(t);
            return t;
        }

        /**
         * Whether a thread died of an injected exception: then what it did not do is the injection's
         * doing (its share of the work is missing), and only what it breaks elsewhere counts.
         */
        private boolean injectedDied(List<String> uncaught, Set<String> injected) {
            return uncaught.stream().anyMatch(e -> Injected.by(e, injected));
        }
    }
}
