package dev.jfail.spock

import dev.jfail.core.FailPointRegistry
import dev.jfail.core.TestRuns
import dev.jfail.trace.TestReports
import dev.jfail.trace.Turns
import groovy.transform.CompileStatic
import org.spockframework.runtime.extension.IMethodInterceptor
import org.spockframework.runtime.extension.IMethodInvocation

/**
 * Around each iteration of a feature (setup, body and cleanup). For a spec using jfail, before:
 * the rolls restart from the seed ({@link Seed}, else {@code -Djfail.seed}, else the run's) and the
 * plan's settings are set, all or nothing (a malformed one fails the feature with the registry's
 * one-line message before it runs), the failpoint trace starts, and a {@link Replay} file's order is
 * imposed. For every spec, after, whatever happens: every failpoint reset
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
        FailPointRegistry registry = FailPointRegistry.global()
        long runSeed = registry.seed()
        Turns replay = null
        try {
            if (usesJfail) {
                TestRuns.beforeTest(registry, plan.seed, plan.points, plan.settings)
                TestReports.begin()
                if (plan.replay != null) {
                    replay = TestReports.replay(plan.replay)
                }
            }
            invocation.proceed()
        } finally {
            if (usesJfail) {
                TestReports.end()
            }
            if (replay != null) {
                String gaveUp = TestReports.finishReplay(replay)
                if (gaveUp != null) {
                    System.err.println(gaveUp)
                }
            }
            TestRuns.afterTest(registry, plan.seed != null || plan.replay != null ? runSeed : null)
        }
    }
}
