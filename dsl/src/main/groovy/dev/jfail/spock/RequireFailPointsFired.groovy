package dev.jfail.spock

import dev.jfail.spi.TestRuns
import groovy.transform.CompileStatic
import org.spockframework.runtime.extension.IMethodInterceptor
import org.spockframework.runtime.extension.IMethodInvocation

/**
 * Around the feature's body: if the body passed but one of the plan's failpoints never fired,
 * the feature fails saying so. A body that failed keeps its own failure, with the points that never
 * fired (and the close names of an undeclared one) attached to it, ahead of the seed's hint.
 */
@CompileStatic
final class RequireFailPointsFired implements IMethodInterceptor {

    private final FailPointPlan plan

    RequireFailPointsFired(FailPointPlan plan) {
        this.plan = plan
    }

    @Override
    void intercept(IMethodInvocation invocation) throws Throwable {
        Map<String, Long> firedBefore = TestRuns.firedCounts(plan.names)
        try {
            invocation.proceed()
        } catch (Throwable failure) {
            String quiet = TestRuns.neverFiredInFailure(firedBefore)
            if (quiet != null) {
                System.err.println(quiet)
                failure.addSuppressed(new ReplayHint(quiet)) // before the seed's hint, which would suggest a race
            }
            throw failure
        }
        if (plan.firingOptional) {
            return
        }
        String quiet = TestRuns.neverFired(firedBefore, '@dev.jfail.spock.FiringOptional')
        if (quiet != null) {
            throw new FailPointsNeverFired(quiet)
        }
    }
}
