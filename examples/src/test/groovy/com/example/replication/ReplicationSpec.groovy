package com.example.replication

import dev.jfail.Hold
import dev.jfail.spock.WithFailPoints
import spock.lang.Specification
import spock.util.concurrent.PollingConditions

import java.util.concurrent.CompletableFuture

/** The replication race of ReplicationTest, as a Spock spec: forced every run across two processes; the fix holds. */
@WithFailPoints   // reset after each feature; the JVMs a feature launches are stopped when it ends
class ReplicationSpec extends Specification {

    def "the leader answers before the follower applies, and the client misses its own write"() {
        given: 'a leader that answers at once, and its follower, each in its own JVM'
        def cluster = Cluster.start(mode)
        cluster.leader().set('leader_await_ack', '2147483647*off')

        when: "the follower's applier is held (in its JVM) while the client writes through the leader"
        def writer = cluster.writer(), reader = cluster.reader()
        CompletableFuture<String> put
        boolean answeredFirst
        String read = null
        Hold apply = cluster.follower().holdAt('follower_apply')
        try {
            put = CompletableFuture.supplyAsync { writer.put('x', '1') }
            apply.awaitHeld()                      // the entry is at the follower, not applied
            new PollingConditions(timeout: 30).eventually {
                assert put.done || cluster.leader().status('leader_await_ack').evaluations() > 0
            }
            answeredFirst = put.done
            if (answeredFirst) {
                read = reader.get('x')             // what the client reads once told OK
            }
        } finally {
            apply.release()                        // the follower applies now
        }
        put.get()
        if (!answeredFirst) {
            read = reader.get('x')
        }

        then: 'async: the client was told OK before the follower applied, and missed its write; sync: never'
        put.get() == 'OK'
        answeredFirst == (mode == 'async')
        read == expected

        cleanup:
        writer?.close()
        reader?.close()

        where:
        mode    || expected
        'async' || null      // the race, every run
        'sync'  || '1'       // the fix holds under the same ordering
    }
}
