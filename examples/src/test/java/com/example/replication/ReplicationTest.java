package com.example.replication;

import dev.jfail.Hold;
import dev.jfail.junit.WithFailPoints;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The replication race across two processes, forced every run: the follower's applier is held (in
 * the follower's JVM) until the leader (in its own) has answered the client, so the client's read
 * from the follower misses its own write. The fixed leader, under the same ordering, does not answer
 * before the follower has applied.
 */
@WithFailPoints   // reset after each test; the JVMs a test launches are stopped when it ends
class ReplicationTest {

    // tag::two-process-race[]
    /**
     * What a client reads from the follower right after the leader told it its write was done, with
     * the follower's apply held until the leader has either answered or started waiting for the follower.
     */
    static String readAfterWrite(Cluster cluster) throws Exception {
        cluster.leader().set("leader_await_ack", "2147483647*off");         // only counts the leader's waits
        try (Client writer = cluster.writer(); Client reader = cluster.reader()) {
            CompletableFuture<String> put;
            try (Hold apply = cluster.follower().holdAt("follower_apply")) { // in the follower's JVM
                put = CompletableFuture.supplyAsync(() -> writer.put("x", "1"));
                apply.awaitHeld();                                          // the entry is there, not applied
                await().atMost(Duration.ofSeconds(30)).until(() -> put.isDone()
                        || cluster.leader().status("leader_await_ack").evaluations() > 0);
                if (put.isDone()) {                                         // the leader answered first
                    assertEquals("OK", put.get());
                    return reader.get("x");
                }
            }                                                               // the follower applies now
            assertEquals("OK", put.get());
            return reader.get("x");
        }
    }

    @Test
    void theFollowerAppliesAfterTheLeaderHasAnsweredSoTheClientReadsStale() throws Exception {
        assertNull(readAfterWrite(Cluster.start("async")), "the client should miss its own write: the race");
    }
    // end::two-process-race[]

    @Test
    void theFixedLeaderAnswersOnlyOnceTheFollowerHasApplied() throws Exception {
        // -Dexample.leader=async runs the race here instead: the test fails and writes one timeline of the three JVMs
        assertEquals("1", readAfterWrite(Cluster.start(System.getProperty("example.leader", "sync"))));
    }
}
