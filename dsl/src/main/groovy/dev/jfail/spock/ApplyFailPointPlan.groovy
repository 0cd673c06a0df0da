package dev.jfail.spock

import dev.jfail.core.FailPointRegistry
import dev.jfail.core.TestRuns
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
        FailPointRegistry registry = FailPointRegistry.global()
        long runSeed = registry.seed()
        try {
            TestRuns.beforeTest(registry, plan.seed, plan.settings)
            invocation.proceed()
        } finally {
            TestRuns.afterTest(registry, plan.seed != null ? runSeed : null)
        }
    }
}
