package dev.jfail.dsl

import spock.lang.Specification
import spock.lang.Timeout

import java.time.Duration
import java.util.concurrent.CountDownLatch

/** Awaiting another thread to be asleep in a given method. */
@Timeout(30)
class NamedThreadSpec extends Specification implements FailPointDsl {

    static class Sleeper {
        final CountDownLatch wakeUp = new CountDownLatch(1)

        void sleepsOnTheLatch() {
            wakeUp.await()
        }
    }

    def sleeper = new Sleeper()

    def "a thread asleep in a method is seen there, by simple or class-qualified name"() {
        when:
        def run = background('the sleeper') { sleeper.sleepsOnTheLatch() }

        then:
        thread('the sleeper').awaitWaitingIn('sleepsOnTheLatch').alive
        thread('the sleeper').isWaitingIn('NamedThreadSpec$Sleeper.sleepsOnTheLatch')
        !thread('the sleeper').isWaitingIn('someOtherMethod')

        cleanup:
        sleeper.wakeUp.countDown()
        run?.await()
    }

    def "waiting for a thread that waits elsewhere fails with where it is"() {
        given:
        def run = background('the sleeper') { sleeper.sleepsOnTheLatch() }
        thread('the sleeper').awaitWaitingIn('sleepsOnTheLatch')

        when:
        thread('the sleeper').awaitWaitingIn('md_super_wait', Duration.ofMillis(100))

        then:
        AssertionError e = thrown()
        e.message.startsWith('waited 0.1 s for thread the sleeper to wait in md_super_wait; the sleeper is WAITING at ')
        e.message.contains('Sleeper.sleepsOnTheLatch')

        cleanup:
        sleeper.wakeUp.countDown()
        run?.await()
    }

    def "waiting for a thread that does not exist says so"() {
        when:
        thread('nobody').awaitWaitingIn('anything', Duration.ofMillis(50))

        then:
        AssertionError e = thrown()
        e.message.endsWith('no live thread is named nobody')
        !thread('nobody').alive
    }

    def "a thread that finishes its work is seen gone; one that does not, is reported where it waits"() {
        given:
        def run = background('the sleeper') { sleeper.sleepsOnTheLatch() }
        thread('the sleeper').awaitWaitingIn('sleepsOnTheLatch')

        when:
        thread('the sleeper').awaitExited(Duration.ofMillis(100))

        then:
        AssertionError e = thrown()
        e.message.startsWith('waited 0.1 s for thread the sleeper to exit; the sleeper is WAITING at ')

        when:
        sleeper.wakeUp.countDown()

        then:
        !thread('the sleeper').awaitExited().alive

        cleanup:
        sleeper.wakeUp.countDown()
        run?.await()
    }
}
