package dev.jfail.spock

import dev.jfail.FailPoints as Facade
import dev.jfail.trace.TestReports
import dev.jfail.trace.Turns
import groovy.transform.CompileStatic
import org.spockframework.runtime.extension.IMethodInterceptor
import org.spockframework.runtime.extension.IMethodInvocation

/**
 * Around each iteration of a feature (setup, body and cleanup): applies the plan's seed and
 * settings before, and resets every failpoint and puts the seed back after, whatever happens.
 * A malformed setting fails the feature with the registry's one-line message, before it runs.
 */
@CompileStatic
final class ApplyFailPointPlan implements IMethodInterceptor {

    private final FailPointPlan plan

    ApplyFailPointPlan(FailPointPlan plan) {
        this.plan = plan
    }

    @Override
    void intercept(IMethodInvocation invocation) throws Throwable {
        Long runSeed = plan.seed != null || plan.replay != null ? Facade.seed() : null
        Turns replay = null
        try {
            if (plan.seed != null) {
                Facade.seed(plan.seed)
            }
            if (!plan.entries.isEmpty()) {
                Facade.setAll(plan.settings)
            }
            if (plan.replay != null) {
                replay = TestReports.replay(plan.replay)
            }
            invocation.proceed()
        } finally {
            if (replay != null) {
                String gaveUp = TestReports.finishReplay(replay)
                if (gaveUp != null) {
                    System.err.println(gaveUp)
                }
            }
            Facade.reset()
            if (runSeed != null) {
                Facade.seed(runSeed)
            }
        }
    }
}
