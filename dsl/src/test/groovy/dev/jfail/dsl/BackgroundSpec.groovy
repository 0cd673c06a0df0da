package dev.jfail.dsl

import spock.lang.Specification
import spock.lang.Timeout

import java.time.Duration
import java.util.concurrent.CountDownLatch

/** Work on its own named thread, steered by the spec's thread. */
@Timeout(30)
class BackgroundSpec extends Specification implements FailPointDsl {

    def "the work runs on a thread of the given name and its result is awaited"() {
        expect:
        background('named worker') { Thread.currentThread().name }.await() == 'named worker'
    }

    def "what the work throws is thrown by await"() {
        when:
        background('failing worker') { throw new IllegalStateException('boom') }.await()

        then:
        IllegalStateException e = thrown()
        e.message == 'boom'
    }

    def "work still running when the wait ends fails the spec with its stack"() {
        given:
        def latch = new CountDownLatch(1)
        def stuck = background('stuck worker') { latch.await() }

        when:
        stuck.await(Duration.ofMillis(100))

        then:
        AssertionError e = thrown()
        e.message.startsWith('stuck worker still running after 0.1 s:')
        e.message.contains('CountDownLatch.await')

        cleanup:
        latch.countDown()
    }
}
