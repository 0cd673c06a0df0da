package dev.jfail.spi;
import dev.jfail.explore.Budget;
import dev.jfail.explore.Exploration;
import dev.jfail.explore.Explorer;
import dev.jfail.explore.Specs;
import dev.jfail.remote.RemoteJvms;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What the JUnit 5 and Spock {@code @Explore} share: a test body run again and again under the
 * explorer's settings, a failure of the body being the symptom; the failure message with the shrunk
 * setting, its rate and seed, the first failure, and the annotations that keep it as a test.
 */
public final class TestExploration {

    /** Which framework's annotations to hand back. */
    public enum Framework {
        /** JUnit 5: {@code @RepeatedTest}, {@code @dev.jfail.junit.WithFailPoints}, double-quoted settings. */
        JUNIT,
        /** Spock: {@code @RepeatUntilFailure}, {@code @dev.jfail.spock.WithFailPoints}, single-quoted settings. */
        SPOCK
    }

    /**
     * An {@code @Explore}'s settings.
     *
     * @param budget the search's time
     * @param runs   the search's most runs
     * @param points the points to use (empty: every point the body reaches)
     * @param seed   the base seed (0: a fresh one)
     */
    public record Options(Duration budget, int runs, List<String> points, long seed) {
        /**
         * The settings as given; {@code points} is copied.
         *
         * @param budget the search's time
         * @param runs   the search's most runs
         * @param points the points to use (empty: every point the body reaches)
         * @param seed   the base seed (0: a fresh one)
         */
        public Options {
            points = List.copyOf(points);
        }

        /**
         * From the annotation's attributes; a bad budget or run count is an {@link IllegalArgumentException}.
         *
         * @param budget the annotation's {@code budget}, e.g. {@code 30s} (more than 0, at most 1 h)
         * @param runs   the annotation's {@code runs}, at least 1
         * @param points the annotation's {@code points}; blank entries are dropped
         * @param seed   the annotation's {@code seed}
         * @return the settings the explorer runs under
         */
        public static Options of(String budget, int runs, String[] points, long seed) {
            if (runs < 1) {
                throw new IllegalArgumentException("@Explore(runs = " + runs + "): at least one run");
            }
            return new Options(Budget.parse(budget), runs, Arrays.stream(points).filter(p -> !p.isBlank()).toList(), seed);
        }
    }

    private TestExploration() {
    }

    /**
     * Explores {@code body}; returns null when no failure showed within the budget (after printing
     * what was tried on {@code log}), else the message the test fails with.
     *
     * @param title     the test's name, as the messages show it
     * @param body      one run of the test; what it throws is the symptom
     * @param options   the {@code @Explore}'s settings
     * @param framework whose annotations the message hands back
     * @param log       where the summary of a search that found nothing goes
     * @return null, or the failure message (see {@link #message})
     */
    public static String explore(String title, Explorer.Workload<?> body, Options options, Framework framework,
                                 PrintStream log) {
        // the JVMs the test has open take part: launched before it (@BeforeAll, setupSpec, @BeforeEach) or reached by pid
        Explorer<?> explorer = Explorer.of(body).budget(options.budget(), options.runs()).jvms(RemoteJvms.open().stream().filter(dev.jfail.Jvm::alive).toList());
        if (!options.points().isEmpty()) {
            explorer.points(options.points());
        }
        if (options.seed() != 0) {
            explorer.seed(options.seed());
        }
        Exploration e = explorer.explore();
        if (!e.found()) {
            log.println("jfail explore: '" + title + "': " + e.summary());
            return null;
        }
        return message(title, e, framework);
    }

    /**
     * Explores a test method: {@code method} called on {@code target} with {@code args} again and
     * again, what it throws (an assertion's failure) being the symptom; {@code beforeAgain} runs
     * before every call but the first (the framework's state one call consumes). See {@link
     * #explore(String, Explorer.Workload, Options, Framework, PrintStream)}.
     *
     * @param title       the test's name, as the messages show it
     * @param method      the test method, called by reflection
     * @param target      the test instance, null for a static method
     * @param args        the method's arguments (the framework's resolved parameters)
     * @param beforeAgain what resets the framework's state between calls
     * @param options     the {@code @Explore}'s settings
     * @param framework   whose annotations the message hands back
     * @param log         where the summary of a search that found nothing goes
     * @return null, or the failure message
     */
    public static String explore(String title, java.lang.reflect.Method method, Object target, Object[] args,
                                 Runnable beforeAgain, Options options, Framework framework, PrintStream log) {
        method.setAccessible(true);
        boolean[] called = {false};
        return explore(title, seed -> {
            if (called[0]) {
                beforeAgain.run();
            }
            called[0] = true;
            try {
                return method.invoke(target, args);
            } catch (java.lang.reflect.InvocationTargetException e) {
                if (e.getCause() instanceof Exception ex) {
                    throw ex;
                }
                if (e.getCause() instanceof AssertionError ae) {
                    throw ae;
                }
                throw new AssertionError(e.getCause());
            }
        }, options, framework, log);
    }

    /**
     * The failure: what fails and how often, the first failure, and how to keep it as a test.
     *
     * @param title     the test's name, as the message shows it
     * @param e         an exploration that found a failure
     * @param framework whose annotations the message hands back
     * @return the message, several lines, the last ones the annotations to paste
     */
    public static String message(String title, Exploration e, Framework framework) {
        StringBuilder sb = new StringBuilder();
        sb.append("jfail explore: '").append(title).append("' fails under ")
                .append(e.shrunk().settings().isEmpty() && !e.shrunk().needsHolds() ? "no failpoints at all" : e.shrunk().toString())
                .append(String.format(Locale.ROOT, " in %d of %d runs", e.rateHits(), e.rateRuns()))
                .append(e.seed() != null ? " (seed " + e.seed() + ")" : "")
                .append(e.finding() != null ? ": " + e.finding().text() : "")
                .append(e.plainRuns() > 0 ? "; " + e.plainRate() : "").append('\n');
        sb.append("first failure after ").append(e.runs()).append(" runs (").append(Exploration.seconds(e.toFirst()))
                .append(") with ").append(e.firstHit().candidate()).append(": ").append(firstLine(e.firstHit().detail())).append('\n');
        if (e.shrunk().needsHolds() || !e.jvms().isEmpty() && !Specs.localFailpoints(e).equals(e.failpoints())) {
            // holds, or settings of other JVMs: what the handles do, in a test whose body is this one's
            Specs.Code code = new Specs.Code(title, List.of(), "body()", null);
            sb.append(e.shrunk().needsHolds() ? "it needs an ordering no setting can say; " : "")
                    .append("keep it as a test (it fails while the bug is there, with 99% odds),")
                    .append(" this test's body moved into body():\n")
                    .append(framework == Framework.JUNIT ? Specs.junit(e, code) : Specs.spock(e, code));
        } else {
            sb.append("keep it as a test (it fails while the bug is there, with 99% odds): replace @Explore with\n");
            sb.append(annotations(e, framework));
        }
        return sb.toString();
    }

    /** {@code @RepeatedTest(N) @WithFailPoints("...") [@Seed(S)]}, or Spock's {@code @RepeatUntilFailure}. */
    static String annotations(Exploration e, Framework framework) {
        int n = Specs.repeats(e.rate());
        String q = framework == Framework.JUNIT ? "\"" : "'";
        StringBuilder sb = new StringBuilder();
        if (n > 1) {
            sb.append(framework == Framework.JUNIT ? "    @RepeatedTest(" + n + ")\n"
                    : "    @RepeatUntilFailure(maxAttempts = " + n + ")\n");
        }
        sb.append(Specs.withFailPoints(e, q));
        if (Specs.localFailpoints(e).contains("%") && e.seed() != null) {
            sb.append("    @Seed(").append(e.seed()).append("L)\n");
        }
        return sb.toString();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl) + " ...";
    }
}
