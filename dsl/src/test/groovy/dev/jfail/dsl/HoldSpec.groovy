package dev.jfail.dsl

import dev.jfail.Hold
import dev.jfail.core.Outcome
import spock.lang.Specification
import spock.lang.Timeout
import spock.util.concurrent.PollingConditions

import static dev.jfail.dsl.SimulatedEntry.reach

import java.time.Duration

/** Forcing one interleaving with holds: N*pause to stop threads, off to let them go. */
@Timeout(60)
class HoldSpec extends Specification implements FailPointDsl {

    /** A read-modify-write with a failpoint in its window, as a race hides in real code. */
    static class Counter {
        int value

        void increment() {
            int read = value
            reach('dsl_between_read_and_write')
            value = read + 1
        }
    }

    def "a hold stops exactly the next N threads and lets later ones pass"() {
        given:
        def hold = holdAt('dsl_held', 2)

        when:
        def threads = (1..3).collect { n -> background("reacher-$n") { reach('dsl_held') } }

        then: 'two are held, the third went through: the point turned itself off once both counts were taken'
        hold.awaitHeld().heldThreads.size() == 2
        new PollingConditions(timeout: 10).eventually { assert threads.count { it.done } == 1 }
        failpoint('dsl_held').paused == 2
        debug.fail_point.dsl_held == 'off'

        when:
        hold.release()

        then: 'the held ones go on from where they stopped'
        threads*.await() == [Outcome.PROCEED] * 3
        paused('dsl_held') == 0
        failpoint('dsl_held').fired('pause') == 2
    }

    def "two increments lose one when the first is held between its read and its write, every time"() {
        given:
        def counter = new Counter()
        def window = holdAt('dsl_between_read_and_write')

        when: 'the first incrementer reads the value, then stops in the window'
        def first = background('first incrementer') { counter.increment() }
        window.awaitHeld()

        and: 'the second increments all the way through: the hold stopped only one thread'
        background('second incrementer') { counter.increment() }.await()

        and: 'the first goes on and writes back what it read'
        window.release()
        first.await()

        then: 'one increment is lost'
        counter.value == 1

        where:
        run << (1..20)
    }

    def "a point can be held again after a release"() {
        given:
        def hold = holdAt('dsl_rearmed')
        def first = background('first') { reach('dsl_rearmed') }
        hold.awaitHeld().release()
        first.await()

        when:
        def again = holdAt('dsl_rearmed')
        def second = background('second') { reach('dsl_rearmed') }

        then:
        again.awaitHeld().heldThreads == ['second']

        cleanup:
        again?.release()
        second?.await()
    }

    def "waiting for a thread that never comes fails, saying what was awaited and what was seen"() {
        given:
        def hold = holdAt('dsl_never_reached')

        when:
        hold.awaitHeld(Duration.ofMillis(200))

        then:
        AssertionError e = thrown()
        e.message.startsWith('waited 0.2 s for 1 thread(s) to be held at dsl_never_reached')
        e.message.contains('point reached 0 time(s), setting 1*pause; no loaded code declares it')
    }

    def "a hold of no threads is refused"() {
        when:
        holdAt('dsl_nobody', 0)

        then:
        IllegalArgumentException e = thrown()
        e.message == 'a hold stops at least one thread, not 0'
        debug.fail_point.dsl_nobody == 'off'
    }

    def "withCloseable releases the hold however the block ends"() {
        given:
        def reacher

        when:
        holdAt('dsl_closed').withCloseable { Hold hold ->
            reacher = background('reacher') { reach('dsl_closed') }
            hold.awaitHeld()
            throw new IllegalStateException('the block failed with a thread held')
        }

        then:
        thrown(IllegalStateException)
        reacher.await() == Outcome.PROCEED
    }

    def "a hold can let some threads pass first and stop a later one: M*off->N*pause"() {
        given:
        def hold = holdAt('dsl_third', passing: 2)

        expect:
        debug.fail_point.dsl_third == '2*off->1*pause'

        when:
        def first = background('first') { reach('dsl_third') }
        def second = background('second') { reach('dsl_third') }
        [first, second]*.await()
        def third = background('third') { reach('dsl_third') }

        then:
        hold.awaitHeld().heldThreads == ['third']

        cleanup:
        hold.release()
        third?.await()
    }

    def "holdAt with options refuses to hold no thread or to let a negative number pass"() {
        when:
        holdAt(options, 'dsl_options')

        then:
        IllegalArgumentException e = thrown()
        e.message == message
        debug.fail_point.dsl_options == 'off'

        where:
        options        | message
        [threads: 0]   | 'a hold stops at least one thread, not 0'
        [passing: -1]  | 'a hold lets a number of threads pass, not -1'
    }

    def "holdAt refuses options it does not know"() {
        when:
        holdAt('dsl_options', after: 2)

        then:
        IllegalArgumentException e = thrown()
        e.message == 'holdAt takes threads: and passing:, not after'
    }
}
