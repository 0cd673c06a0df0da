package dev.jfail.spock

import dev.jfail.FailPoints as Facade
import groovy.transform.CompileStatic
import org.spockframework.runtime.extension.IMethodInterceptor
import org.spockframework.runtime.extension.IMethodInvocation

/**
 * Around the feature's body: if the body passed but one of the plan's failpoints never fired,
 * the feature fails saying so. A body that failed keeps its own failure.
 */
@CompileStatic
final class RequireFailPointsFired implements IMethodInterceptor {

    private final FailPointPlan plan

    RequireFailPointsFired(FailPointPlan plan) {
        this.plan = plan
    }

    @Override
    void intercept(IMethodInvocation invocation) throws Throwable {
        List<String> names = plan.names
        Map<String, Long> firedBefore = names.collectEntries { String name -> [(name): Facade.status(name).totalFired()] }
        invocation.proceed()
        if (plan.firingOptional) {
            return
        }
        List<String> quiet = names.findAll { String name -> Facade.status(name).totalFired() == firedBefore[name] }
        if (quiet) {
            throw new FailPointsNeverFired(quiet.collect { String name -> describe(name) })
        }
    }

    private static String describe(String name) {
        long hits = Facade.status(name).evaluations()
        "$name (${hits == 0 ? 'never reached' : "reached $hits times"})"
    }
}
