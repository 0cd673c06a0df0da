package dev.jfail.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the Spock and JUnit 5 extensions share, so both say the same things the same way: the
 * settings of their {@code @WithFailPoints}, the run's seed, the "never fired" check and the
 * replay hint printed when a test fails.
 */
public final class TestRuns {

    /** The lock (Spock's exclusive resource, the JUnit extension's lock) every test using jfail holds. */
    public static final String LOCK = "dev.jfail.failpoints";

    private static volatile boolean warnedSeed;

    private TestRuns() {
    }

    /**
     * The entries of one {@code @WithFailPoints("a=...;debug.fail_point.b=...")}: split on {@code ;},
     * trimmed, empty ones dropped. The registry checks them (all or nothing) when they are applied.
     */
    public static List<String> entries(String settings) {
        List<String> entries = new ArrayList<>();
        for (String entry : settings.split(";")) {
            if (!entry.isBlank()) {
                entries.add(entry.strip());
            }
        }
        return entries;
    }

    /** The point names the entries set, without the sysctl prefix, in order, once each. */
    public static List<String> names(List<String> entries) {
        Set<String> names = new LinkedHashSet<>();
        for (String entry : entries) {
            int eq = entry.indexOf('=');
            names.add(FailPointRegistry.canonicalName((eq < 0 ? entry : entry.substring(0, eq)).strip()));
        }
        return List.copyOf(names);
    }

    /**
     * {@code -Djfail.seed=N} (decimal, or 0x hex) as the test JVM has it now, or null. Read at each
     * test rather than at start because build tools such as surefire set system properties only
     * after the agent has started. A malformed value is reported once and ignored.
     */
    public static Long seedProperty() {
        String value = System.getProperty(FailPointRegistry.SEED_PROPERTY);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Long.decode(value.strip());
        } catch (NumberFormatException e) {
            if (!warnedSeed) {
                warnedSeed = true;
                System.err.println("jfail: -D" + FailPointRegistry.SEED_PROPERTY + "=" + value
                        + " is not a whole number; using the seed " + FailPointRegistry.global().seed());
            }
            return null;
        }
    }

    /** Before a test: every thread's rolls start over from the asked seed, {@code -Djfail.seed}, or the run's. */
    public static void restartRolls(FailPointRegistry registry, Long asked) {
        Long property = seedProperty();
        registry.seed(asked != null ? asked : property != null ? property : registry.seed());
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
