package dev.jfail.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the Spock and JUnit 5 extensions share, so both say the same things the same way: the
 * settings of their {@code @WithFailPoints}, the run's seed, the "never fired" check and the
 * replay hint printed when a test fails.
 */
public final class TestRuns {

    /** The lock (Spock's exclusive resource, the JUnit extension's lock) every test using jfail holds. */
    public static final String LOCK = "dev.jfail.failpoints";

    private TestRuns() {
    }

    /**
     * Before a test using jfail: every thread's rolls start over from the seed the test asks for
     * ({@code asked}, or null), else {@code -Djfail.seed} as the test JVM has it now (read at each test,
     * as build tools such as surefire set system properties only after the agent started), else the
     * run's; then the {@code name=setting;...} lists of its annotations are set as one, all or nothing.
     * The caller keeps the run's seed ({@link FailPointRegistry#seed()}) from before, to give {@link #afterTest} back if it asked for its own.
     */
    public static void beforeTest(FailPointRegistry registry, Long asked, List<String> settings) {
        beforeTest(registry, asked, List.of(), settings);
    }

    /**
     * The same, after declaring the points of the annotations' {@code points} lists
     * ({@code NAME@CLASS#METHOD[(DESC)][:POSITION]} or {@code auto@CLASSES}, comma-separated; classes
     * already loaded are retransformed), so that the settings can name them. Declarations stay for the
     * rest of the JVM's life, off once the test is over.
     */
    public static void beforeTest(FailPointRegistry registry, Long asked, List<String> points, List<String> settings) {
        List<String> declared = new ArrayList<>();
        for (String list : points) {
            if (!list.isBlank()) {
                declared.add(list.strip());
            }
        }
        if (!declared.isEmpty()) {
            RuntimeDeclarations.declare(String.join(",", declared));
        }
        registry.seed(asked != null ? asked : FailPointRegistry.seedProperty().orElse(registry.seed()));
        String all = SettingList.concat(settings);
        if (!all.isEmpty()) {
            registry.setAll(all);
        }
    }

    /**
     * After a test using jfail, whatever happened: every point off, counters cleared, paused threads
     * released; then {@code runSeed} (the run's seed, when the test asked for its own; else null) back.
     */
    public static void afterTest(FailPointRegistry registry, Long runSeed) {
        registry.reset();
        if (runSeed != null) {
            registry.seed(runSeed);
        }
    }

    /** The names the {@code name=setting;...} lists set, in order, once each. */
    public static List<String> names(List<String> settings) {
        return SettingList.names(SettingList.concat(settings));
    }

    /** How often each of {@code names} has fired so far, to compare with after the test. */
    public static Map<String, Long> firedCounts(FailPointRegistry registry, List<String> names) {
        Map<String, Long> counts = new LinkedHashMap<>();
        names.forEach(name -> counts.put(name, registry.status(name).totalFired()));
        return counts;
    }

    /**
     * Null when every point fired since {@code before} was taken; else the one-line failure: which
     * points never fired, whether each was reached, a name no loaded code declares with the closest
     * declared names, and how to opt out ({@code optOut}, the framework's annotation).
     */
    public static String neverFired(FailPointRegistry registry, Map<String, Long> before, String optOut) {
        List<String> quiet = new ArrayList<>();
        before.forEach((name, fired) -> {
            if (registry.status(name).totalFired() == fired) {
                long hits = registry.status(name).evaluations();
                quiet.add(name + " (" + (hits == 0 ? "never reached" : "reached " + hits + " times") + Awaits.undeclared(registry, name) + ")");
            }
        });
        return quiet.isEmpty() ? null : "failpoints never fired: " + String.join(", ", quiet)
                + "; the test never reached its window and proved nothing (mark it " + optOut + " if that is expected)";
    }

    /**
     * The line printed (and attached to the failure) when a test using jfail fails; {@code unit} is
     * what the framework calls a test ({@code feature}, {@code test}).
     */
    public static String replayHint(String test, long seed, String seedAnnotation, String unit) {
        return "jfail: '" + test + "' failed with failpoint seed " + seed + "; replay it with -Djfail.seed=" + seed
                + " or " + seedAnnotation + "(" + seed + "L) on the " + unit;
    }
}
