package dev.jfail.specs

import dev.jfail.FailPoint
import dev.jfail.FailPointPanic
import dev.jfail.dsl.FailPointDsl
import dev.jfail.spock.WithFailPoints
import spock.lang.Specification
import spock.lang.Timeout

/** The DSL and the extension drive real {@code @FailPoint} methods, instrumented by the agent. */
@Timeout(60)
class DslUnderTheAgentSpec extends Specification implements FailPointDsl {

    /** Code under test, as users write it: the failpoints are plain annotated methods. */
    static class Ledger {
        int balance

        @FailPoint('specs_ledger_write_fails')
        boolean writeFails() { false }

        @FailPoint('specs_ledger_between_read_and_write')
        void betweenReadAndWrite() {}

        void deposit(int amount) {
            int read = balance
            betweenReadAndWrite()
            balance = read + amount
        }
    }

    def ledger = new Ledger()

    def "a setting typed as for sysctl makes the annotated method return what it says"() {
        when:
        debug.fail_point.specs_ledger_write_fails = '2*return(1)'

        then:
        (1..3).collect { ledger.writeFails() } == [true, true, false]
        hits('specs_ledger_write_fails') == 2       // a point that is off costs nothing and counts nothing
        failpoint('specs_ledger_write_fails').fired('return') == 2
        debug.fail_point.specs_ledger_write_fails == 'off'
        debug.fail_point.status_specs_ledger_write_fails.sites().any { it.contains('writeFails') }
    }

    @WithFailPoints('specs_ledger_write_fails=panic')
    def "@WithFailPoints arms the point for the feature: panic throws with FreeBSD's message"() {
        when:
        ledger.writeFails()

        then:
        FailPointPanic e = thrown()
        e.message == 'fail point specs_ledger_write_fails panicking'
    }

    def "a hold in the window of a real method loses a deposit, every time"() {
        given:
        def window = holdAt('specs_ledger_between_read_and_write')

        when: 'the first deposit reads the balance and stops in the window'
        def first = background('first deposit') { ledger.deposit(10) }
        window.awaitHeld()

        and: 'the second deposit goes all the way through'
        background('second deposit') { ledger.deposit(5) }.await()

        and: 'the first goes on and writes back what it read, plus its amount'
        window.release()
        first.await()

        then: 'the second deposit is lost'
        ledger.balance == 10

        where:
        run << (1..10)
    }

    def "the scoped form puts the old setting back, and the method is itself again"() {
        expect:
        failpoints(specs_ledger_write_fails: 'return(1)') { ledger.writeFails() }
        !ledger.writeFails()
    }
}
