package com.example.bank

import dev.jfail.dsl.FailPointDsl
import dev.jfail.spock.WithFailPoints
import spock.lang.Specification
import spock.lang.Stepwise

/** The check-then-act race of Account, forced every run; and the fix, shown to hold under the same ordering. */
@Stepwise   // the last feature checks that the settings of the one before it were reset
class AccountSpec extends Specification implements FailPointDsl {

    // tag::hold-spec[]
    def "two withdrawals overdraw the account when one is held between its check and its act"() {
        given:
        def account = new Account(100, new Ledger())
        def checked = holdAt('withdraw_checked')               // the next thread there parks

        when:
        def first = background('first') { account.withdraw(100) }
        checked.awaitHeld()                                   // it checked: 100 covers 100
        def second = account.withdraw(100)                    // meanwhile, the whole second withdrawal
        checked.release()                                     // the first acts on what it checked

        then:
        second
        first.await()
        account.balance() == -100
    }
    // end::hold-spec[]

    def "the atomic account never overdraws, under the same ordering"() {
        given:
        def account = new AtomicAccount(100, new Ledger())
        def checked = holdAt('withdraw_checked')

        when:
        def first = background('first') { account.withdraw(100) }
        checked.awaitHeld()
        def second = account.withdraw(100)
        checked.release()

        then:
        second
        !first.await()                                        // it saw the balance change and checked again
        account.balance() == 0
    }

    // tag::settings-spec[]
    @WithFailPoints('ledger_rejects=return(1)')                // dev.jfail.spock.WithFailPoints
    def "a withdrawal the ledger rejects changes nothing"() {
        given:
        def account = new Account(100, new Ledger())

        expect:
        !account.withdraw(40)
        account.balance() == 100
    }
    // end::settings-spec[]

    def "settings do not outlive their feature"() {
        expect:
        debug.fail_point.ledger_rejects == 'off'
        new Account(100, new Ledger()).withdraw(40)
    }
}
