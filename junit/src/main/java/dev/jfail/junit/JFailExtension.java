package dev.jfail.junit;

import dev.jfail.FailPoints;
import dev.jfail.spi.HoldWatch;
import dev.jfail.spi.SelfAttach;
import dev.jfail.spi.TestExploration;
import dev.jfail.spi.TestReports;
import dev.jfail.spi.TestRuns;
import dev.jfail.spi.Waits;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.platform.commons.support.AnnotationSupport;

import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The JUnit Jupiter side of jfail, registered by its annotations ({@link WithFailPoints},
 * {@link Seed}, {@link FiringOptional}); what it does for each test of an annotated class:
 * <ol>
 * <li>before all: makes sure the agent runs in the JVM (loading it if missing, or failing every
 *     test at once with one line naming the Maven plugin);</li>
 * <li>before each: restarts every thread's rolls from the seed ({@link Seed}, {@code -Djfail.seed},
 *     else the run's), and applies the settings, all or nothing;</li>
 * <li>around an {@link Explore} test method: calls it again and again under the explorer's settings
 *     instead of once, and fails with the shrunk setting when it failed;</li>
 * <li>around the test method: fails a test that passed although one of its points never fired
 *     (unless {@link FiringOptional}), saying whether it was reached and whether any loaded code declares it;</li>
 * <li>around the test method: never lets it hang on a hold: when the test's thread waits for a
 *     thread held at a point, or threads are still held past the test's patience
 *     ({@code -Djfail.testPatience=SECONDS}, 60 s), releases the holds and fails the test saying who
 *     waited for whom ({@link HoldWatch});</li>
 * <li>on failure: prints the seed and how to replay it, and attaches that line to the failure; when
 *     the test crossed an armed point, writes its timeline and replay file into
 *     {@code target/jfail-reports/} and names them in the failure ({@link Replay} replays it);</li>
 * <li>after each, whatever happened: resets every failpoint (paused threads released) and puts the
 *     run's seed back.</li>
 * </ol>
 * Under JUnit's parallel execution each of the annotations isolates its test (or class) from every
 * other test, with JUnit's own {@code READ_WRITE} lock on {@link org.junit.jupiter.api.parallel.Resources#GLOBAL},
 * which every other test holds for reading (what {@code @Isolated} does): failpoints belong to the
 * whole JVM, and a test beside a jfail test would meet its settings. Tests without them are never touched.
 */
public final class JFailExtension implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback,
        InvocationInterceptor, TestExecutionExceptionHandler {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(JFailExtension.class);
    private static final String RUN_SEED = "run seed";
    private static final String REPLAY = "replay";

    /** Made by JUnit for a test or class that carries one of the annotations; what a test needs lives in JUnit's store, not here. */
    public JFailExtension() {
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        SelfAttach.ensureAgent();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        SelfAttach.ensureAgent(); // also for a test whose class has no annotation, only the method
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        store.put(RUN_SEED, FailPoints.seed());
        TestRuns.beforeTest(seed(context), points(context), settings(context));
        TestReports.begin();
        Optional<Replay> replay = find(context, Replay.class);
        if (replay.isPresent()) {
            store.put(REPLAY, TestReports.replay(replay.get().value()));
        }
    }

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
                                    ExtensionContext context) throws Throwable {
        Optional<Explore> explore = AnnotationSupport.findAnnotation(invocationContext.getExecutable(), Explore.class);
        if (explore.isPresent()) {
            explore(invocation, invocationContext, context, explore.get());
            return;
        }
        Map<String, Long> firedBefore = TestRuns.firedCounts(TestRuns.names(settings(context)));
        HoldWatch watch = HoldWatch.start(Thread.currentThread(), Waits.testPatience());
        try {
            invocation.proceed();
        } catch (Throwable failure) {
            AssertionError hang = watch.stop();
            if (hang != null) {
                hang.addSuppressed(failure); // what the test saw after its holds were taken away
                throw hang;
            }
            String quiet = TestRuns.neverFiredInFailure(firedBefore);
            if (quiet != null) {
                System.err.println(quiet);
                failure.addSuppressed(new ReplayHint(quiet)); // before the seed's hint, which would suggest a race
            }
            throw failure;
        }
        AssertionError hang = watch.stop();
        if (hang != null) {
            throw hang;
        }
        if (!find(context, FiringOptional.class).isPresent()) {
            String quiet = TestRuns.neverFired(firedBefore, "@dev.jfail.junit.FiringOptional");
            if (quiet != null) {
                throw new AssertionError(quiet);
            }
        }
    }

    /** {@link Explore}: the method, called again and again under the explorer's settings, instead of once. */
    private static void explore(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
                                ExtensionContext context, Explore explore) throws Throwable {
        TestExploration.Options options = TestExploration.Options.of(explore.budget(), explore.runs(), explore.points(), explore.seed());
        invocation.skip();
        String failure = TestExploration.explore(context.getDisplayName(), call.getExecutable(), call.getTarget().orElse(null),
                call.getArguments().toArray(), () -> { }, options, TestExploration.Framework.JUNIT, System.err);
        if (failure != null) {
            throw new ExploredFailure(failure);
        }
    }

    /** An {@link Explore}d test's failure: its message is the whole story; the stack would only show the extension. */
    static final class ExploredFailure extends AssertionError {
        ExploredFailure(String message) {
            super(message);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        if (failure instanceof ExploredFailure) {
            throw failure; // it carries its own seed; the run's would mislead
        }
        String hint = TestRuns.replayHint(context.getDisplayName(), FailPoints.seed(), "@dev.jfail.junit.Seed", "test");
        System.err.println(hint);
        failure.addSuppressed(new ReplayHint(hint));
        String files = TestReports.failed(reportName(context), failure, "@dev.jfail.junit.Replay");
        if (files != null) {
            System.err.println(files);
            failure.addSuppressed(new ReplayHint(files));
        }
        throw failure;
    }

    /**
     * CLASS-METHOD, and -N for the Nth invocation of a test template ({@code @RepeatedTest},
     * {@code @ParameterizedTest}), so each failing repetition keeps its own report.
     */
    static String reportName(ExtensionContext context) {
        String name = context.getRequiredTestClass().getSimpleName() + "-" + context.getRequiredTestMethod().getName();
        java.util.regex.Matcher invocation = java.util.regex.Pattern.compile("\\[test-template-invocation:#(\\d+)]$")
                .matcher(context.getUniqueId());
        return invocation.find() ? name + "-" + invocation.group(1) : name;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        TestReports.end();
        TestReports.Replay replay = store.remove(REPLAY, TestReports.Replay.class);
        if (replay != null) {
            String gaveUp = TestReports.finishReplay(replay);
            if (gaveUp != null) {
                System.err.println(gaveUp);
            }
        }
        Long runSeed = store.remove(RUN_SEED, Long.class);
        TestRuns.afterTest(seed(context) != null || replay != null ? runSeed : null);
    }

    /** The settings lists of the test's classes (outermost first) and then of the method, in the order written. */
    private static List<String> settings(ExtensionContext context) {
        List<String> settings = new ArrayList<>();
        for (AnnotatedElement element : scopes(context)) {
            for (WithFailPoints annotation : AnnotationSupport.findRepeatableAnnotations(element, WithFailPoints.class)) {
                settings.add(annotation.value());
            }
        }
        return settings;
    }

    /** The {@code points} lists of the test's classes (outermost first) and then of the method. */
    private static List<String> points(ExtensionContext context) {
        List<String> points = new ArrayList<>();
        for (AnnotatedElement element : scopes(context)) {
            for (WithFailPoints annotation : AnnotationSupport.findRepeatableAnnotations(element, WithFailPoints.class)) {
                points.add(annotation.points());
            }
        }
        return points;
    }

    private static Long seed(ExtensionContext context) {
        return find(context, Seed.class).map(Seed::value).orElse(null);
    }

    /** The annotation on the method, else on the innermost class that has it. */
    private static <A extends java.lang.annotation.Annotation> Optional<A> find(ExtensionContext context, Class<A> type) {
        List<AnnotatedElement> scopes = scopes(context);
        for (int i = scopes.size() - 1; i >= 0; i--) {
            Optional<A> found = AnnotationSupport.findAnnotation(scopes.get(i), type);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    /** The enclosing classes of a {@code @Nested} test outermost first, its class, then its method. */
    private static List<AnnotatedElement> scopes(ExtensionContext context) {
        List<AnnotatedElement> scopes = new ArrayList<>();
        context.getTestClass().ifPresent(type -> {
            for (Class<?> c = type; c != null; c = c.isMemberClass() && !java.lang.reflect.Modifier.isStatic(c.getModifiers()) ? c.getEnclosingClass() : null) {
                scopes.add(0, c);
            }
        });
        context.getTestMethod().ifPresent(scopes::add);
        return scopes;
    }

    /** Rides on a failure as a suppressed exception to carry the seed and how to replay it; has no stack of its own. */
    static final class ReplayHint extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ReplayHint(String hint) {
            super(hint, null, false, false);
        }
    }
}
