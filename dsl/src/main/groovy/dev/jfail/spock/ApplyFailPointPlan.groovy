package dev.jfail.spock

import dev.jfail.FailPoints as Facade
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
        Long runSeed = plan.seed != null ? Facade.seed() : null
        try {
            if (plan.seed != null) {
                Facade.seed(plan.seed)
            }
            if (!plan.entries.isEmpty()) {
                Facade.setAll(plan.settings)
            }
            invocation.proceed()
        } finally {
            Facade.reset()
            if (runSeed != null) {
                Facade.seed(runSeed)
            }
        }
    }
}
