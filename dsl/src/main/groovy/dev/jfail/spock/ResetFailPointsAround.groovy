package dev.jfail.spock

import dev.jfail.FailPoints as Facade
import dev.jfail.core.FailPointRegistry
import dev.jfail.core.TestRuns
import dev.jfail.trace.TestReports
import groovy.transform.CompileStatic
import org.spockframework.runtime.extension.IMethodInterceptor
import org.spockframework.runtime.extension.IMethodInvocation

/**
 * Around every iteration: for specs using jfail, restart the rolls from the seed before
 * ({@code -Djfail.seed} when the test JVM has it, else the registry's own); for all specs, reset
 * every failpoint after (everything off, counters cleared, paused threads released).
 */
@CompileStatic
final class ResetFailPointsAround implements IMethodInterceptor {

    private final boolean restartRolls

    ResetFailPointsAround(boolean restartRolls) {
        this.restartRolls = restartRolls
    }

    @Override
    void intercept(IMethodInvocation invocation) throws Throwable {
        try {
            if (restartRolls) {
                TestRuns.restartRolls(FailPointRegistry.global(), null)
                TestReports.begin()
            }
            invocation.proceed()
        } finally {
            if (restartRolls) {
                TestReports.end()
            }
            Facade.reset()
        }
    }
}
