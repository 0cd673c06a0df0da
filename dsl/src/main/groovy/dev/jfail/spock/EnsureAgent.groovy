package dev.jfail.spock

import dev.jfail.spi.SelfAttach
import groovy.transform.CompileStatic
import org.spockframework.runtime.extension.IMethodInterceptor
import org.spockframework.runtime.extension.IMethodInvocation

/**
 * Before a spec that uses jfail runs: the agent must be there, or no failpoint is ever reached. It
 * is loaded into this JVM if missing (one line says so); if that is impossible the spec fails at
 * once with one line naming the agent and the Maven plugin, rather than each hold timing out.
 */
@CompileStatic
final class EnsureAgent implements IMethodInterceptor {

    @Override
    void intercept(IMethodInvocation invocation) throws Throwable {
        SelfAttach.ensureAgent()
        invocation.proceed()
    }
}
