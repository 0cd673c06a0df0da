package dev.jfail.explore;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Makes a setting that showed the symptom as small as it can while it still shows it in a good
 * share of runs: drops orders (or turns them into a sleep at the hold point), drops points (by
 * halves, quarters, ... first, then one by one), turns
 * probabilities into plain or counted actions, halves sleeps and delays, lowers K of a K-th crossing
 * and counts; again and again until no piece can go. "A good share": at least three quarters of
 * the hits the first setting had in {@value #RUNS} runs, and at least {@value #GOOD}.
 */
final class Shrinker {

    static final int RUNS = 8;
    /** The fewest hits in {@link #RUNS} runs of a setting worth shrinking or keeping. */
    static final int GOOD = 2;

    private final Explorer<?>.Runs runs;
    private final Reach reach;
    private final long deadline;
    private final Consumer<String> progress;
    private static final int MAX_K = 8;
    private int need;

    Shrinker(Explorer<?>.Runs runs, Reach reach, long deadlineNanos, Consumer<String> progress) {
        this.runs = runs;
        this.reach = reach;
        this.deadline = deadlineNanos;
        this.progress = progress;
    }

    /**
     * The smallest setting found; {@code baseHits}: how often {@code hit}'s setting showed the symptom
     * in {@link #RUNS} runs; {@code floor}: the fewest hits a smaller setting must show in as many (more
     * than the plain runs show, when they show it at all, so that shrinking never ends at no failpoints).
     */
    Candidate shrink(Trial hit, int baseHits, int floor) {
        Candidate best = new Candidate("shrunk", hit.candidate().settings(), hit.candidate().orders());
        need = Math.max(floor, Math.max(GOOD, (3 * baseHits + 3) / 4));
        boolean changed = true;
        while (changed && !late()) {
            changed = false;
            for (Candidate smaller : smallerThan(best, hit)) {
                if (late()) {
                    break;
                }
                // never to no failpoints at all: plain runs that show it now and then are a sighting, not
                // what is handed back (with plain runs that never showed it during the search, the floor cannot say so)
                if (smaller.size() > 0 && smaller.simplerThan(best) && shows(smaller)) {
                    best = smaller;
                    changed = true;
                    progress.accept("explore: shrunk to " + best);
                    break; // start over from the smaller setting
                }
            }
        }
        return best;
    }

    /** Smaller settings, biggest cuts first. */
    private List<Candidate> smallerThan(Candidate c, Trial hit) {
        List<Candidate> out = new ArrayList<>();
        for (int i = c.orders().size() - 1; i >= 0; i--) {
            out.add(c.withoutOrder(i));
        }
        // a setting over many points (the baseline's) keeps only the contended ones first, then loses
        // them by halves, quarters, ... (ddmin)
        List<String> keys = new ArrayList<>(c.settings().keySet());
        List<String> quiet = new ArrayList<>(keys);
        quiet.removeAll(reach.contended());
        if (!quiet.isEmpty() && quiet.size() < keys.size() && keys.size() > 2) {
            out.add(c.withoutSettings(quiet));
        }
        for (int chunk = keys.size() / 2; chunk >= 2; chunk /= 2) {
            for (int from = 0; from < keys.size(); from += chunk) {
                out.add(c.withoutSettings(keys.subList(from, Math.min(keys.size(), from + chunk))));
            }
        }
        for (String p : keys) {
            out.add(c.withoutSetting(p));
        }
        for (int i = 0; i < c.orders().size(); i++) {
            Order o = c.orders().get(i);
            if (!c.settings().containsKey(o.hold())) {
                long held = i < hit.heldMillis().size() && hit.candidate().orders().equals(c.orders())
                        ? hit.heldMillis().get(i) : o.maxWaitMillis();
                out.add(c.withoutOrder(i).withSetting(o.hold(), Terms.atCrossing(o.crossing(), "1*sleep(" + sleepAtLeast(held + 1) + ")")));
            }
        }
        c.settings().forEach((p, setting) -> {
            Terms.Shape s = Terms.shape(setting);
            if (s == null) {
                return;
            }
            if (s.percent() != null) {
                out.add(c.withSetting(p, s.withPercent(null).withCount(0).text()));
                out.add(c.withSetting(p, s.withPercent(null).withCount(1).text()));
                if (s.skip() == 0 && s.count() == 0) {
                    for (int k = 2; k <= Math.min(reach.crossings(p), MAX_K); k++) {   // the K-th crossing only
                        out.add(c.withSetting(p, s.withPercent(null).withSkip(k - 1).withCount(1).text()));
                    }
                }
            }
            if (s.skip() > 0) {
                for (int k = 0; k < s.skip(); k++) {
                    out.add(c.withSetting(p, s.withSkip(k).text()));
                }
            }
            if (s.count() > 1) {
                out.add(c.withSetting(p, s.withCount(1).text()));
            }
            if (s.argument() != null && s.argument() > 1 && (s.action().equals("sleep") || s.action().equals("delay"))) {
                out.add(c.withSetting(p, s.withArgument(s.argument() / 2).text()));
            }
        });
        return out;
    }

    private static int sleepAtLeast(long millis) {
        for (int s : Strategies.SLEEPS) {
            if (s >= millis) {
                return s;
            }
        }
        return (int) Math.min(Integer.MAX_VALUE, millis);
    }

    private boolean late() {
        return System.nanoTime() - deadline >= 0;
    }

    private boolean shows(Candidate c) {
        return hits(c, RUNS, need) >= need;
    }

    /** Hits of {@code c} in at most {@code max} runs, stopping once {@code enough} or once {@code need} is out of reach. */
    private int hits(Candidate c, int max, int enough) {
        int hits = 0;
        for (int i = 0; i < max && hits < enough && !late(); i++) {
            if (runs.run(c).symptom()) {
                hits++;
            }
            if (hits + (max - i - 1) < Math.min(enough, need)) {
                break;
            }
        }
        return hits;
    }
}
