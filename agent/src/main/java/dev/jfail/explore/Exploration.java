package dev.jfail.explore;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What an exploration hands back.
 *
 * @param found        whether the symptom showed at all
 * @param runs         runs of the workload until the first symptom (all the search's runs when not found)
 * @param toFirst      wall time from the start to the end of the first run that showed it (null: never)
 * @param total        wall time of the whole exploration, shrinking and rate included
 * @param firstHit     the first run that showed it (null: never)
 * @param goodRuns     runs until the first setting that showed it again in a good share of 8 more runs
 *                     (a lucky first hit is checked, kept aside, and the search goes on; 0: none did)
 * @param toGood       wall time until then (null: none did)
 * @param shrunk       the smallest setting that still shows it in a good share of runs (null: never found)
 * @param rateHits     runs of {@code shrunk} that showed it, out of
 * @param rateRuns     the runs made to measure its rate
 * @param seed         the seed of a run of {@code shrunk} that showed it (replays its probability rolls)
 * @param reached      the points the workload reached, with the most crossings seen in one run
 * @param tried        how many runs each strategy had, in the order they were opened
 * @param trials       every run, in order: the search's, the shrinker's, the rate's
 * @param finding      what the handed-back setting's failing runs showed (null: nothing found)
 * @param plainHits    runs without any failpoint that showed it, out of
 * @param plainRuns    the runs made without failpoints to measure that (0: the plain runs never showed it,
 *                     so their rate was not measured)
 * @param declarations for each point of {@code shrunk} that was declared rather than annotated, its
 *                     explicit declaration ({@code NAME@CLASS#METHOD(DESC):POS}), which a regression
 *                     test declares so that it runs without what found it ({@code auto@...})
 * @param watched      how many points the search watched (allowed, reached or not)
 * @param multiThread  the reached points that two or more threads crossed in a recorded run
 * @param jvms         the other JVMs whose points took part: each one's qualifier in point names
 *                     ({@code follower} of {@code follower:follower_apply}) to its name (empty: this JVM's alone)
 */
public record Exploration(boolean found, int runs, Duration toFirst, Duration total, Trial firstHit, int goodRuns,
                          Duration toGood, Candidate shrunk,
                          int rateHits, int rateRuns, Long seed, Map<String, Long> reached, Map<String, Integer> tried,
                          List<Trial> trials, Finding finding, int plainHits, int plainRuns,
                          Map<String, String> declarations, int watched, List<String> multiThread,
                          Map<String, String> jvms) {

    public Exploration {
        jvms = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(jvms));
        reached = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(reached));
        tried = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(tried));
        trials = List.copyOf(trials);
        declarations = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(declarations));
        multiThread = List.copyOf(multiThread);
    }

    /** Of this JVM's points alone. */
    public Exploration(boolean found, int runs, Duration toFirst, Duration total, Trial firstHit, int goodRuns,
                       Duration toGood, Candidate shrunk, int rateHits, int rateRuns, Long seed,
                       Map<String, Long> reached, Map<String, Integer> tried, List<Trial> trials, Finding finding,
                       int plainHits, int plainRuns, Map<String, String> declarations, int watched, List<String> multiThread) {
        this(found, runs, toFirst, total, firstHit, goodRuns, toGood, shrunk, rateHits, rateRuns, seed, reached, tried,
                trials, finding, plainHits, plainRuns, declarations, watched, multiThread, Map.of());
    }

    /** As found before findings, plain rates and declarations were recorded (what tests of the hand-back build). */
    public Exploration(boolean found, int runs, Duration toFirst, Duration total, Trial firstHit, int goodRuns,
                       Duration toGood, Candidate shrunk, int rateHits, int rateRuns, Long seed,
                       Map<String, Long> reached, Map<String, Integer> tried, List<Trial> trials) {
        this(found, runs, toFirst, total, firstHit, goodRuns, toGood, shrunk, rateHits, rateRuns, seed, reached, tried,
                trials, found ? Finding.WRONG_DATA : null, 0, 0, Map.of(), reached.size(), List.of());
    }

    /** The explicit declarations, comma-separated as {@code -Djfail.points} takes them (empty: none needed). */
    public String points() {
        return String.join(",", declarations.values());
    }

    /** "without failpoints it fails in 2 of 20 runs", or empty when plain runs never showed it. */
    public String plainRate() {
        return plainRuns == 0 ? "" : "without failpoints it fails in " + plainHits + " of " + plainRuns + " runs";
    }

    /** The shrunk setting's share of runs that show the symptom (0 when nothing was found). */
    public double rate() {
        return rateRuns == 0 ? 0 : (double) rateHits / rateRuns;
    }

    /** The shrunk setting in the {@code FAILPOINTS} form; empty when nothing was found or no failpoint is needed. */
    public String failpoints() {
        return shrunk == null ? "" : shrunk.failpoints();
    }

    /** One line for a person: what was found, or what was tried. */
    public String summary() {
        if (!found) {
            return "no symptom in " + runs + " runs (" + seconds(total) + "); tried " + tried + " at " + reached.keySet();
        }
        return "symptom after " + runs + " runs (" + seconds(toFirst) + ") with " + firstHit.candidate()
                + "; shrunk to " + shrunk + ", which shows it in " + rateHits + " of " + rateRuns + " runs"
                + (seed != null ? " (seed " + seed + ")" : "") + (finding != null ? ": " + finding.text() : "")
                + (plainRuns > 0 ? "; " + plainRate() : "");
    }

    public static String seconds(Duration d) {
        return d == null ? "-" : String.format(java.util.Locale.ROOT, "%.1f s", d.toNanos() / 1e9);
    }
}
