package com.example.replication;

import dev.jfail.Jvm;
import dev.jfail.junit.WithFailPoints;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@link ReplicationExploration} handed back, kept as a regression test: the follower's apply
 * 3 ms late, set on the follower's handle. The fixed leader passes it; the racy one fails it in
 * nearly every run ({@code -Dexample.leader=async} runs the race here), which the second test shows.
 */
@WithFailPoints   // the JVMs a test launches are stopped when it ends
class ReplicationExploredTest {

    // tag::explored-on-handles[]
    // found by jfail's explorer: shows the symptom in 18 of 20 runs (the workload threw); without failpoints it fails in 5 of 20 runs
    // handles (dev.jfail.Jvm, ...), open while the test runs: follower = the JVM named "follower"
    @RepeatedTest(2)
    void aClientReadsItsOwnWriteFromTheFollower() {
        Cluster cluster = Cluster.start(System.getProperty("example.leader", "sync"));
        Jvm follower = cluster.follower();
        follower.setAll("follower_apply=1*sleep(3)");
        try {
            ReplicationExploration.readOwnWrite(cluster);
        } finally {
            follower.reset();
        }
    }
    // end::explored-on-handles[]

    @Test
    void theRacyLeaderFailsItInSomeOfTenRuns() {
        Cluster cluster = Cluster.start("async");
        int missed = 0;
        for (int run = 0; run < 10; run++) {
            cluster.follower().setAll("follower_apply=1*sleep(3)");
            try {
                ReplicationExploration.readOwnWrite(cluster);
            } catch (AssertionFailedError stale) {
                missed++;
            }
        }
        assertTrue(missed > 0, "the client read its own write in all 10 runs: the setting no longer shows the race");
    }
}
