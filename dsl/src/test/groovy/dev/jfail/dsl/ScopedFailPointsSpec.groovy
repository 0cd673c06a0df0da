package dev.jfail.dsl

import dev.jfail.core.Outcome
import spock.lang.Specification
import spock.lang.Timeout

/** {@code failpoints(name: setting) { ... }}: set for the block, put back after it, however it ends. */
@Timeout(30)
class ScopedFailPointsSpec extends Specification implements FailPointDsl {

    def "the points are set inside the block and put back after it"() {
        given:
        debug.fail_point.dsl_before = 'yield'

        when:
        def inside = failpoints(dsl_before: '50%sleep(10)', dsl_fresh: '20%return(1)') {
            [debug.fail_point.dsl_before, debug.fail_point.dsl_fresh]
        }

        then:
        inside == ['50%sleep(10)', '20%return(1)']
        debug.fail_point.dsl_before == 'yield'
        debug.fail_point.dsl_fresh == 'off'
    }

    def "the old settings come back when the block throws"() {
        given:
        debug.fail_point.dsl_thrown = '3*return(7)'

        when:
        failpoints('debug.fail_point.dsl_thrown=panic') {
            throw new IllegalStateException('the block failed')
        }

        then:
        thrown(IllegalStateException)
        debug.fail_point.dsl_thrown == '3*return(7)'
    }

    def "the FAILPOINTS form works too"() {
        expect:
        failpoints('dsl_one=yield; dsl_two=2*return(3)') { sysctl('dsl_one', 'dsl_two') } == [dsl_one: 'yield', dsl_two: '2*return(3)']
        debug.fail_point.dsl_one == 'off'
        debug.fail_point.dsl_two == 'off'
    }

    def "a malformed setting changes nothing and the block does not run"() {
        given:
        debug.fail_point.dsl_good = 'yield'
        boolean ran = false

        when:
        failpoints(dsl_good: 'off', dsl_bad: '5.%return') { ran = true }

        then:
        thrown(IllegalArgumentException)
        !ran
        debug.fail_point.dsl_good == 'yield'
        debug.fail_point.dsl_bad == 'off'
    }

    def "a thread paused in a point set by the block is released when the block ends"() {
        given:
        Background<Outcome> reacher

        when:
        failpoints(dsl_paused_in_block: 'pause') {
            reacher = background('reacher') { SimulatedEntry.reach('dsl_paused_in_block') }
            failpoint('dsl_paused_in_block').awaitPaused(1)
        }

        then:
        reacher.await() == Outcome.PROCEED
        paused('dsl_paused_in_block') == 0
    }
}
