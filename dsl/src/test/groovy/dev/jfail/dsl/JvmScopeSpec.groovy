package dev.jfail.dsl

import dev.jfail.FailPoints
import dev.jfail.Jvm
import dev.jfail.spock.WithFailPoints
import spock.lang.Specification

import java.util.regex.Pattern

/** {@code jvm(handle) { ... }} and {@code jvm(pid) { ... }}: FreeBSD's words acting in another JVM. */
@WithFailPoints
class JvmScopeSpec extends Specification implements FailPointDsl {

    def "debug.fail_point, sysctl, holdAt and awaitFired act in the other JVM"() {
        given:
        Jvm ticking = FailPoints.launcher(Ticking.name).name('ticking').start()
        ticking.awaitOutput(Pattern.compile('tick=1'))

        when:
        jvm(ticking) {
            debug.fail_point.dsl_tick = 'return(5)'
        }

        then:
        ticking.awaitOutput(Pattern.compile('tick=5'))
        jvm(ticking) { debug.fail_point.dsl_tick } == 'return(5)'
        FailPoints.get('dsl_tick') == 'off'

        when: 'by pid, with sysctl, a hold and a bounded wait'
        List<String> held = jvm(ticking.pid()) {
            sysctl 'debug.fail_point.dsl_tick=return(6)'
            awaitFired('dsl_tick', 2)
            def hold = holdAt('dsl_tick')
            hold.awaitHeld()
            def names = hold.heldThreads()
            hold.release()
            names
        }

        then:
        held == ['main']
        jvm(ticking) { fired('dsl_tick') } >= 2
        jvm(ticking) { sysctl 'debug.fail_point.dsl_tick' } == 'off'
    }

    def "an error names the JVM"() {
        given:
        Jvm ticking = FailPoints.launcher(Ticking.name).name('ticking').start()

        when:
        jvm(ticking) { debug.fail_point.dsl_tick = '5%%' }

        then:
        IllegalArgumentException e = thrown()
        e.message.startsWith("jvm ticking (pid ${ticking.pid()}): ")
    }
}
