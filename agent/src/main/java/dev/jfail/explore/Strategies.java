package dev.jfail.explore;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Makes the next setting to try. The cheap strategies come first and stay in the mix; the thorough
 * ones join as the search goes on without a hit: failures (drawn twice as often: a method that can
 * fail is where error paths start), counts and exceptions from the 3rd search trial,
 * pairs of orders from the 7th, triples from the 21st. Orders are tried untried-first: every
 * (hold point, crossing, other point) in a seeded shuffle before any repeats, the pairs on shared
 * state first (see {@link Reach#pairRank}). Delays, counts and exceptions take half their points
 * from the contended ones (where threads meet; failures do not: an error path is often one thread's); with many points, a setting touches a few of them
 * (at most {@value #MANY}), not a random half, so that a run stays a run.
 */
final class Strategies {

    /** Sleep lengths tried, in ms: from a context switch to longer than a model's periodic thread. */
    static final int[] SLEEPS = {1, 2, 5, 10, 20, 50, 100, 200};
    private static final int[] PERCENTS = {10, 25, 50, 100};
    private static final int[] FAIL_PERCENTS = {5, 10, 20, 50, 100};
    private static final int[] DELAYS_US = {100, 500, 2000};
    private static final int[] LAGS = {0, 1, 5};
    private static final int[] WAITS = {20, 100, 250};
    private static final int MAX_K = 3;
    private static final int SLEEP_PER_RUN_MS = 400;
    /** Above this many points, a setting picks a few of them rather than a random half. */
    static final int MANY = 8;
    /** Above this many reached points, the pairs of two uncontended points are left out of the orders. */
    private static final int ALL_PAIRS_UP_TO = 40;

    private final Reach reach;
    private final List<String> canFail;
    private final Set<Strategy> enabled;
    private final Random shuffle;
    private final List<Order> pairs = new ArrayList<>();
    private int nextPair;
    private List<String> pairsFor = List.of();
    private final Set<Order> triedPairs = new java.util.HashSet<>();

    Strategies(Reach reach, List<String> canFail, Set<Strategy> enabled, long seed) {
        this.reach = reach;
        this.canFail = canFail;
        this.enabled = enabled;
        this.shuffle = new Random(seed);
    }

    /** The strategies open at search trial {@code t} (0-based). */
    List<Strategy> open(int t) {
        List<Strategy> open = new ArrayList<>();
        int reached = reach.reached().size();
        add(open, Strategy.DELAYS, reached > 0);
        add(open, Strategy.SLEEPS_EVERYWHERE, reached > 0);
        add(open, Strategy.FAILURES, t >= 2 && !canFail.isEmpty());
        add(open, Strategy.FAILURES, t >= 2 && !canFail.isEmpty());   // twice: a method that can fail is a strong hint
        add(open, Strategy.COUNTS, t >= 2 && reached > 0);
        add(open, Strategy.EXCEPTIONS, t >= 2 && !reach.mayPanic().isEmpty());
        add(open, Strategy.ORDERS, t >= 6 && reached > 0);
        add(open, Strategy.TRIPLES, t >= 20 && reached > 1);
        return open;
    }

    private void add(List<Strategy> open, Strategy s, boolean ready) {
        if (ready && enabled.contains(s)) {
            open.add(s);
        }
    }

    /** The setting for search trial {@code t}, drawn from {@code rnd} (the trial's own seed); null when nothing is open. */
    Candidate next(int t, SplittableRandom rnd) {
        List<Strategy> open = open(t);
        if (open.isEmpty()) {
            open = open(Integer.MAX_VALUE);   // only thorough ones allowed: they need not wait for the cheap ones
        }
        if (open.isEmpty()) {
            return null;
        }
        Strategy s = open.get(rnd.nextInt(open.size()));
        List<String> points = reach.reached();
        return switch (s) {
            case DELAYS -> new Candidate(s.label(), delays(preferred(points, rnd), rnd, 2), List.of());
            case SLEEPS_EVERYWHERE -> new Candidate(s.label(), sleepsEverywhere(points, rnd), List.of());
            case FAILURES -> failures(rnd);
            case COUNTS -> counts(preferred(points, rnd), rnd);
            case EXCEPTIONS -> exceptions(mayPanic(preferred(points, rnd)), rnd);
            case ORDERS -> new Candidate(s.label(), Map.of(), List.of(nextPair(points, rnd)));
            case TRIPLES -> triple(points, rnd);
        };
    }

    /** Those of {@code points} where an exception may be injected (this JVM's); when none of them is, every reached one that is. */
    private List<String> mayPanic(List<String> points) {
        List<String> r = new ArrayList<>(points);
        r.retainAll(reach.mayPanic());
        return r.isEmpty() ? reach.mayPanic() : r;
    }

    /** Half the time the contended points (when there are any), else all reached ones. */
    private List<String> preferred(List<String> points, SplittableRandom rnd) {
        List<String> contended = reach.contended();
        return !contended.isEmpty() && rnd.nextBoolean() ? contended : points;
    }

    /**
     * Each point with chance 1/{@code oneIn}, at least one: a sleep, a yield or a busy delay, some of
     * the time. Of more than {@value #MANY} points, 1 to {@value #MANY} of them.
     */
    private Map<String, String> delays(List<String> points, SplittableRandom rnd, int oneIn) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String p : few(points, rnd)) {
            if (points.size() > MANY || rnd.nextInt(oneIn) == 0) {
                m.put(p, delay(p, rnd));
            }
        }
        if (m.isEmpty()) {
            String p = points.get(rnd.nextInt(points.size()));
            m.put(p, delay(p, rnd));
        }
        return m;
    }

    private String delay(String point, SplittableRandom rnd) {
        int kind = rnd.nextInt(20);
        int percent = pick(PERCENTS, rnd);
        String action = kind < 14 ? "sleep(" + sleep(point, percent, rnd) + ")"
                : kind < 17 ? "yield" : "delay(" + pick(DELAYS_US, rnd) + ")";
        return withPercent(percent, action);
    }

    /**
     * A sleep length for {@code point} at {@code percent}: from the ladder, but no longer than keeps
     * the run's expected sleeping there under {@value #SLEEP_PER_RUN_MS} ms, so that a point crossed
     * thousands of times gets short sleeps and the run ends within its time limit.
     */
    private int sleep(String point, int percent, SplittableRandom rnd) {
        return sleep(point, percent, rnd, SLEEP_PER_RUN_MS);
    }

    private int sleep(String point, int percent, SplittableRandom rnd, int perRunMillis) {
        double fires = Math.max(1, reach.crossings(point) * percent / 100.0);
        int n = 1;
        while (n < SLEEPS.length && SLEEPS[n] * fires <= perRunMillis) {
            n++;
        }
        return SLEEPS[rnd.nextInt(n)];
    }

    private Map<String, String> sleepsEverywhere(List<String> points, SplittableRandom rnd) {
        Map<String, String> m = new LinkedHashMap<>();
        // many points share the run's sleeping: a few hundred points get a millisecond or two each
        int share = SLEEP_PER_RUN_MS * MANY / Math.max(MANY, points.size());
        for (String p : points) {
            m.put(p, "50%sleep(" + sleep(p, 50, rnd, share) + ")");
        }
        return m;
    }

    /** {@code points} itself, or 1 to {@value #MANY} of them when there are more. */
    private static List<String> few(List<String> points, SplittableRandom rnd) {
        if (points.size() <= MANY) {
            return points;
        }
        List<String> pick = new ArrayList<>(points);
        int n = 1 + rnd.nextInt(MANY);
        for (int i = 0; i < n; i++) {
            Collections.swap(pick, i, i + rnd.nextInt(pick.size() - i));
        }
        return pick.subList(0, n);
    }

    /** Failures at any point that can fail, contended or not: an error path is often one thread's own. */
    private Candidate failures(SplittableRandom rnd) {
        List<String> points = reach.reached();
        Map<String, String> m = new LinkedHashMap<>();
        for (String p : few(canFail, rnd)) {
            if (canFail.size() > MANY || rnd.nextInt(3) != 0) {
                m.put(p, withPercent(pick(FAIL_PERCENTS, rnd), "return(1)"));
            }
        }
        if (m.isEmpty()) {
            m.put(canFail.get(rnd.nextInt(canFail.size())), withPercent(pick(FAIL_PERCENTS, rnd), "return(1)"));
        }
        if (rnd.nextBoolean()) {
            delays(points, rnd, 2).forEach(m::putIfAbsent);
        }
        return new Candidate(Strategy.FAILURES.label(), m, List.of());
    }

    /**
     * An exception thrown from one or two points' methods, on whichever thread crosses them (the
     * point's own unchecked one, or half the time a checked one its method declares): at the K-th crossing ({@code K-1*off->1*panic}), or now and then ({@code P%panic}). What the
     * workload's own thread sees of it is not a finding; what it breaks elsewhere is (see
     * {@link Explorer}). With delays elsewhere half the time.
     */
    private Candidate exceptions(List<String> points, SplittableRandom rnd) {
        Map<String, String> m = new LinkedHashMap<>();
        int n = 1 + rnd.nextInt(Math.min(2, points.size()));
        for (int i = 0; i < n; i++) {
            String p = points.get(rnd.nextInt(points.size()));
            int k = 1 + rnd.nextInt((int) Math.max(1, Math.min(reach.crossings(p), 10)));
            List<String> declared = reach.declaredThrows(p);
            String panic = !declared.isEmpty() && rnd.nextBoolean()
                    ? "panic(" + declared.get(rnd.nextInt(declared.size())) + ")" : "panic";   // the method's own checked ones
            m.put(p, rnd.nextInt(3) == 0 ? withPercent(pick(FAIL_PERCENTS, rnd), panic) : Terms.atCrossing(k, "1*" + panic));
        }
        if (rnd.nextBoolean()) {
            delays(reach.reached(), rnd, 2).forEach(m::putIfAbsent);
        }
        return new Candidate(Strategy.EXCEPTIONS.label(), m, List.of());
    }

    private Candidate counts(List<String> points, SplittableRandom rnd) {
        Map<String, String> m = new LinkedHashMap<>();
        int n = 1 + rnd.nextInt(Math.min(2, points.size()));
        for (int i = 0; i < n; i++) {
            String p = points.get(rnd.nextInt(points.size()));
            int k = 1 + rnd.nextInt((int) Math.max(1, Math.min(reach.crossings(p), 10)));
            String action = canFail.contains(p) && rnd.nextBoolean() ? "return(1)" : "sleep(" + pick(SLEEPS, rnd) + ")"; // fires once
            m.put(p, Terms.atCrossing(k, "1*" + action));
        }
        return new Candidate(Strategy.COUNTS.label(), m, List.of());
    }

    private Candidate triple(List<String> points, SplittableRandom rnd) {
        Order first = nextPair(points, rnd);
        List<String> others = new ArrayList<>(points);
        others.remove(first.until());
        if (others.isEmpty() || first.hold().equals(first.until())) {
            return new Candidate(Strategy.TRIPLES.label(), Map.of(), List.of(first));
        }
        String third = others.get(rnd.nextInt(others.size()));
        Order second = new Order(first.until(), 1, third, pick(LAGS, rnd), pick(WAITS, rnd));
        return new Candidate(Strategy.TRIPLES.label(), Map.of(), List.of(first, second));
    }

    /**
     * The next (hold, crossing, until) not tried yet: all of them in a seeded shuffle, rebuilt when
     * new points show up (those tried already go last) or when every one has been tried.
     */
    private Order nextPair(List<String> points, SplittableRandom rnd) {
        if (!points.equals(pairsFor) || nextPair >= pairs.size()) {
            boolean allTried = points.equals(pairsFor);
            pairsFor = List.copyOf(points);
            pairs.clear();
            Set<String> contended = new java.util.HashSet<>(reach.contended());
            Map<Order, Integer> rank = new java.util.HashMap<>();
            for (String a : points) {
                for (int k = 1; k <= Math.min(reach.crossings(a), MAX_K); k++) {
                    for (String b : points) {
                        int r = reach.pairRank(a, b, contended);
                        if (r > 0 || points.size() <= ALL_PAIRS_UP_TO) {
                            Order o = new Order(a, k, b, 0, 1);
                            pairs.add(o);
                            rank.put(o, r);
                        }
                    }
                }
            }
            Collections.shuffle(pairs, shuffle);
            if (allTried) {
                triedPairs.clear();
            }
            // stable: untried first, then the pairs on shared state, in their shuffled order
            pairs.sort(java.util.Comparator.<Order, Boolean>comparing(triedPairs::contains)
                    .thenComparing(o -> -rank.get(o)));
            if (pairs.isEmpty()) {
                pairs.add(new Order(points.get(0), 1, points.get(points.size() - 1), 0, 1));
            }
            nextPair = 0;
        }
        Order o = pairs.get(nextPair++);
        triedPairs.add(o);
        return new Order(o.hold(), o.crossing(), o.until(), pick(LAGS, rnd), pick(WAITS, rnd));
    }

    private static String withPercent(int percent, String action) {
        return percent >= 100 ? action : percent + "%" + action;
    }

    private static int pick(int[] values, SplittableRandom rnd) {
        return values[rnd.nextInt(values.length)];
    }
}
