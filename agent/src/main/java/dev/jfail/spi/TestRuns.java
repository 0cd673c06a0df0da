package dev.jfail.spi;
import dev.jfail.core.Awaits;
import dev.jfail.core.FailPointRegistry;
import dev.jfail.core.RuntimeDeclarations;
import dev.jfail.core.SettingList;
import dev.jfail.remote.RemoteJvms;

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

    /** The lock (Spock's exclusive resource) every spec holds, exclusively when it uses jfail; JUnit's tests use its global resource. */
    public static final String LOCK = "dev.jfail.failpoints";

    private TestRuns() {
    }

    /**
     * Before a test using jfail: every thread's rolls start over from the seed the test asks for
     * ({@code asked}, or null), else {@code -Djfail.seed} as the test JVM has it now (read at each test,
     * as build tools such as surefire set system properties only after the agent started), else the
     * run's; then the {@code name=setting;...} lists of its annotations are set as one, all or nothing.
     * The caller keeps the run's seed ({@link FailPointRegistry#seed()}) from before, to give {@link #afterTest} back if it asked for its own.
     *
     * @param asked    the seed the test's annotation asks for, or null
     * @param settings the {@code name=setting;...} lists of its annotations, class's first (a later entry for a name wins)
     */
    public static void beforeTest(Long asked, List<String> settings) {
        beforeTest(asked, List.of(), settings);
    }

    /**
     * The same, after declaring the points of the annotations' {@code points} lists
     * ({@code NAME@CLASS#METHOD[(DESC)][:POSITION]} or {@code auto@CLASSES}, comma-separated; classes
     * already loaded are retransformed), so that the settings can name them. Declarations stay for the
     * rest of the JVM's life, off once the test is over.
     *
     * @param asked    the seed the test's annotation asks for, or null
     * @param points   the {@code points} of its {@code @WithFailPoints}; blank ones are skipped
     * @param settings the {@code name=setting;...} lists of its annotations, class's first (a later entry for a name wins)
     */
    public static void beforeTest(Long asked, List<String> points, List<String> settings) {
        RemoteJvms.testBegins(); // the other JVMs it reaches from now on are its own
        FailPointRegistry registry = FailPointRegistry.global();
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
     * released, the JVMs it launched stopped; then {@code runSeed} (the run's seed, when the test asked for its own; else null) back.
     *
     * @param runSeed the seed to restore, or null to keep the one in force
     */
    public static void afterTest(Long runSeed) {
        RemoteJvms.testEnds(); // the JVMs it launched stop, with what they started
        FailPointRegistry registry = FailPointRegistry.global();
        registry.reset();
        if (runSeed != null) {
            registry.seed(runSeed);
        }
    }

    /**
     * The names the {@code name=setting;...} lists set, in order, once each.
     *
     * @param settings the lists, as {@link #beforeTest} takes them
     * @return the names without the {@code debug.fail_point.} prefix
     */
    public static List<String> names(List<String> settings) {
        return SettingList.names(SettingList.concat(settings));
    }

    /**
     * How often each of {@code names} has fired so far, to compare with after the test.
     *
     * @param names the points, e.g. from {@link #names}
     * @return each name to its firings, in order; {@link #neverFired} takes it back
     */
    public static Map<String, Long> firedCounts(List<String> names) {
        FailPointRegistry registry = FailPointRegistry.global();
        Map<String, Long> counts = new LinkedHashMap<>();
        names.forEach(name -> counts.put(name, registry.status(name).totalFired()));
        return counts;
    }

    /**
     * Null when every point fired since {@code before} was taken; else the one-line failure: which
     * points never fired, whether each was reached, a name no loaded code declares with the closest
     * declared names, and how to opt out ({@code optOut}, the framework's annotation).
     *
     * @param before what {@link #firedCounts} returned before the test
     * @param optOut the framework's opt-out annotation, e.g. {@code @dev.jfail.junit.FiringOptional}
     * @return null, or the line the passing test fails with
     */
    public static String neverFired(Map<String, Long> before, String optOut) {
        FailPointRegistry registry = FailPointRegistry.global();
        List<String> quiet = quiet(registry, before);
        return quiet.isEmpty() ? null : "failpoints never fired: " + String.join(", ", quiet)
                + "; the test never reached its window and proved nothing (mark it " + optOut + " if that is expected)";
    }

    /**
     * For a test that failed: null when every point fired since {@code before} was taken; else the
     * line that goes with the failure, before the seed's: which points never fired, whether each was
     * reached, a name no loaded code declares with the closest declared names. A typo'd name, not a
     * race, is then the likely cause, and the seed would send the reader the wrong way.
     *
     * @param before what {@link #firedCounts} returned before the test
     * @return null, or the line to print before the replay hint
     */
    public static String neverFiredInFailure(Map<String, Long> before) {
        FailPointRegistry registry = FailPointRegistry.global();
        List<String> quiet = quiet(registry, before);
        return quiet.isEmpty() ? null : "jfail: failpoints never fired: " + String.join(", ", quiet)
                + "; the failure did not come through them (a misspelt or undeclared point?)";
    }

    /** "NAME (never reached|reached N times[; no loaded code declares it (did you mean ...?)])" for each point that did not fire. */
    private static List<String> quiet(FailPointRegistry registry, Map<String, Long> before) {
        List<String> quiet = new ArrayList<>();
        before.forEach((name, fired) -> {
            if (registry.status(name).totalFired() == fired) {
                long hits = registry.status(name).evaluations();
                quiet.add(name + " (" + (hits == 0 ? "never reached" : "reached " + hits + " times") + Awaits.undeclared(registry, name) + ")");
            }
        });
        return quiet;
    }

    /**
     * The one line a test fails with when it carries jfail annotations of the other framework
     * ({@code annotations}, their full names), which its own framework would silently ignore:
     * {@code framework} runs it, {@code owner} is the framework the annotations belong to, and
     * {@code rightPackage} is where its own twins live.
     *
     * @param test         the test's name, as the line shows it
     * @param annotations  the full names of the foreign annotations it carries (a {@code ...List} container counts as its element)
     * @param framework    the framework that runs it, e.g. {@code Spock}
     * @param owner        the framework the annotations belong to, e.g. {@code JUnit 5}
     * @param rightPackage the package of its own twins, e.g. {@code dev.jfail.spock}
     * @return the line, naming the imports to use instead
     */
    public static String wrongFramework(String test, List<String> annotations, String framework, String owner, String rightPackage) {
        List<String> names = annotations.stream().map(a -> a.replaceFirst("List$", "")).distinct().toList();
        List<String> twins = names.stream().map(a -> rightPackage + a.substring(a.lastIndexOf('.'))).toList();
        return "jfail: '" + test + "' carries " + String.join(", ", names.stream().map(a -> "@" + a).toList()) + ", " + owner
                + "'s " + (names.size() == 1 ? "annotation" : "annotations") + ", which " + framework + " ignores: import " + String.join(", ", twins) + " instead";
    }

    /**
     * The line printed (and attached to the failure) when a test using jfail fails; {@code unit} is
     * what the framework calls a test ({@code feature}, {@code test}).
     *
     * @param test           the test's name, as the line shows it
     * @param seed           the seed the test ran with
     * @param seedAnnotation the framework's seed annotation, e.g. {@code @dev.jfail.junit.Seed}
     * @param unit           what the framework calls a test
     * @return the line, with both ways to replay the seed
     */
    public static String replayHint(String test, long seed, String seedAnnotation, String unit) {
        return "jfail: '" + test + "' failed with failpoint seed " + seed + "; replay it with -Djfail.seed=" + seed
                + " or " + seedAnnotation + "(" + seed + "L) on the " + unit;
    }
}
