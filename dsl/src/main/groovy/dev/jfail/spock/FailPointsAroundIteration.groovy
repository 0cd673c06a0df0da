package dev.jfail.spock

import dev.jfail.FailPoints
import dev.jfail.spi.HoldWatch
import dev.jfail.spi.Waits
import dev.jfail.spi.TestReports
import dev.jfail.spi.TestRuns
import groovy.transform.CompileStatic
import org.spockframework.runtime.extension.IMethodInterceptor
import org.spockframework.runtime.extension.IMethodInvocation

/**
 * Around each iteration of a feature (setup, body and cleanup). For a spec using jfail, before:
 * the rolls restart from the seed ({@link Seed}, else {@code -Djfail.seed}, else the run's) and the
 * plan's settings are set, all or nothing (a malformed one fails the feature with the registry's
 * one-line message before it runs), the failpoint trace starts, and a {@link Replay} file's order is
 * imposed; and a {@link HoldWatch} keeps a hold from hanging it (the iteration fails saying who waited
 * for whom). For every spec, after, whatever happens: every failpoint reset
 * (off, counters cleared, paused threads released) and the run's seed back if the feature had its own.
 */
@CompileStatic
final class FailPointsAroundIteration implements IMethodInterceptor {

    private final FailPointPlan plan
    private final boolean usesJfail

    FailPointsAroundIteration(FailPointPlan plan, boolean usesJfail) {
        this.plan = plan
        this.usesJfail = usesJfail
    }

    @Override
    void intercept(IMethodInvocation invocation) throws Throwable {
        long runSeed = FailPoints.seed()
        TestReports.Replay replay = null
        HoldWatch watch = null
        Throwable thrown = null
        try {
            if (usesJfail) {
                TestRuns.beforeTest(plan.seed, plan.points, plan.settings)
                TestReports.begin()
                if (plan.replay != null) {
                    replay = TestReports.replay(plan.replay)
                }
                watch = HoldWatch.start(Thread.currentThread(), Waits.testPatience())
            }
            invocation.proceed()
        } catch (Throwable failure) {
            thrown = failure
        } finally {
            AssertionError hang = watch?.stop()
            if (hang != null) {
                if (thrown != null) {
                    hang.addSuppressed(thrown) // what the feature saw after its holds were taken away
                }
                thrown = hang
            }
            if (usesJfail) {
                TestReports.end()
            }
            if (replay != null) {
                String gaveUp = TestReports.finishReplay(replay)
                if (gaveUp != null) {
                    System.err.println(gaveUp)
                }
            }
            TestRuns.afterTest(plan.seed != null || plan.replay != null ? runSeed : null)
        }
        if (thrown != null) {
            throw thrown
        }
    }
}
