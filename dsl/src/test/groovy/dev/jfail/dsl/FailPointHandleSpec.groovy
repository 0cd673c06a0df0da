package dev.jfail.dsl

import dev.jfail.core.Outcome
import spock.lang.Specification
import spock.lang.Timeout

import static dev.jfail.dsl.SimulatedEntry.reach
import spock.util.concurrent.PollingConditions

/** Status and hit counts, readable from a spec: hits, fired, paused, sleeping. */
@Timeout(30)
class FailPointHandleSpec extends Specification implements FailPointDsl {

    def "hits count every arrival, fired counts what fired, by action"() {
        given:
        debug.fail_point.dsl_counts = '2*return(5)->yield'

        when:
        5.times { reach('dsl_counts') }

        then:
        hits('dsl_counts') == 5
        fired('dsl_counts') == 5
        with(failpoint('dsl_counts')) {
            fired('return') == 2
            fired('yield') == 3
            setting == 'yield'
        }
    }

    def "a point can be set through its handle"() {
        when:
        failpoint('debug.fail_point.dsl_handle').setting = '20%return(1)'

        then:
        failpoint('dsl_handle').setting == '20%return(1)'
        failpoint('dsl_handle').toString() == 'debug.fail_point.dsl_handle'
    }

    def "a thread sleeping in a point is seen sleeping, by name"() {
        given:
        debug.fail_point.dsl_sleeping = 'sleep(60000)'

        when:
        def sleeper = background('sleeper') { reach('dsl_sleeping') }

        then:
        new PollingConditions().eventually { assert sleeping('dsl_sleeping') == 1 }
        failpoint('dsl_sleeping').sleepingThreads == ['sleeper']
        paused('dsl_sleeping') == 0

        cleanup: 'an interrupt ends the sleep'
        sleeperThread('sleeper')?.interrupt()
        sleeper?.await()
    }

    def "a thread paused in a point is seen paused, by name, until the point is turned off"() {
        given:
        debug.fail_point.dsl_pausing = 'pause'

        when:
        def pauser = background('pauser') { reach('dsl_pausing') }

        then:
        failpoint('dsl_pausing').awaitPaused(1).pausedThreads == ['pauser']
        sleeping('dsl_pausing') == 0

        when:
        failpoint('dsl_pausing').off()

        then:
        pauser.await() == Outcome.PROCEED
        paused('dsl_pausing') == 0
    }

    def "awaitFired waits for an action to fire"() {
        given:
        debug.fail_point.dsl_fires = '3*return(1)'

        when:
        def reacher = background('reacher') { 10.times { reach('dsl_fires') } }

        then:
        failpoint('dsl_fires').awaitFired(3).fired == 3

        cleanup:
        reacher?.await()
    }

    def "a point that is off counts nothing; watched, it counts and does nothing else"() {
        when:
        3.times { reach('dsl_watched') }

        then:
        hits('dsl_watched') == 0

        when:
        failpoint('dsl_watched').awaitHits(1)

        then:
        AssertionError e = thrown()
        e.message == "dsl_watched is off, and a point that is off counts nothing: watch('dsl_watched') it, or arm it, before awaiting its hits"

        when:
        watch('dsl_watched')
        def outcomes = (1..3).collect { reach('dsl_watched') }

        then:
        outcomes == [Outcome.PROCEED] * 3
        failpoint('dsl_watched').awaitHits(3).hits == 3
        debug.fail_point.dsl_watched == "${Integer.MAX_VALUE - 3}*off"
    }

    private static Thread sleeperThread(String name) {
        Thread.allStackTraces.keySet().find { it.name == name }
    }
}
