package dev.jfail.spock

import dev.jfail.FailPoints as Facade
import groovy.transform.CompileStatic
import org.spockframework.runtime.extension.IMethodInterceptor
import org.spockframework.runtime.extension.IMethodInvocation

/**
 * Around every iteration: for specs using jfail, restart the rolls from the seed before; for all
 * specs, reset every failpoint after (everything off, counters cleared, paused threads released).
 *
 * <p>The seed is {@code -Djfail.seed} when that is set on the test JVM — read here, because build
 * tools such as surefire set system properties only after the agent has started — else the
 * registry's own.
 */
@CompileStatic
final class ResetFailPointsAround implements IMethodInterceptor {

    static final String SEED_PROPERTY = 'jfail.seed'

    private static volatile boolean warned

    private final boolean restartRolls

    ResetFailPointsAround(boolean restartRolls) {
        this.restartRolls = restartRolls
    }

    @Override
    void intercept(IMethodInvocation invocation) throws Throwable {
        try {
            if (restartRolls) {
                Long asked = seedProperty()
                Facade.seed(asked != null ? asked : Facade.seed())
            }
            invocation.proceed()
        } finally {
            Facade.reset()
        }
    }

    /** {@code -Djfail.seed=N} (decimal, or 0x hex), or null; a malformed one is reported once and ignored. */
    static Long seedProperty() {
        String value = System.getProperty(SEED_PROPERTY)?.trim()
        if (!value) {
            return null
        }
        try {
            return Long.decode(value)
        } catch (NumberFormatException ignored) {
            if (!warned) {
                warned = true
                System.err.println("jfail: -D$SEED_PROPERTY=$value is not a whole number; using the seed ${Facade.seed()}")
            }
            return null
        }
    }
}
