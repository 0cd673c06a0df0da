package com.example.replication;

import dev.jfail.junit.Explore;
import dev.jfail.junit.WithFailPoints;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Push-button across processes: the two JVMs a test has open when its exploration starts take part
 * (their points are {@code follower:follower_apply}, {@code leader:leader_reply}, ...), so the
 * explorer finds the replication race with nothing but {@code @Explore}, and hands back a test that
 * sets the follower's point on its handle ({@link ReplicationExploredTest} keeps it). The fixed
 * leader shows nothing in the same search. Not run by CI (the race's exploration fails, as it should):
 * {@code mvn -f examples/pom.xml test -Dtest=ReplicationExploration}.
 */
@WithFailPoints
class ReplicationExploration {

    private static final AtomicLong KEYS = new AtomicLong();

    // tag::explore-two-processes[]
    @Nested
    class TheRace {

        private Cluster cluster;

        @BeforeEach
        void start() {
            cluster = Cluster.start("async");   // stopped when the test ends, after all its runs
        }

        @Explore(budget = "60s")
        void aClientReadsItsOwnWriteFromTheFollower() {
            readOwnWrite(cluster);
        }
    }
    // end::explore-two-processes[]

    @Nested
    class TheFix {

        private Cluster cluster;

        @BeforeEach
        void start() {
            cluster = Cluster.start("sync");
        }

        @Explore(budget = "60s")
        void aClientReadsItsOwnWriteFromTheFollower() {
            readOwnWrite(cluster);
        }
    }

    /** One run: a write through the leader, then a read of it from the follower (a fresh key each run). */
    static void readOwnWrite(Cluster cluster) {
        String key = "k" + KEYS.incrementAndGet();
        try (Client writer = cluster.writer(); Client reader = cluster.reader()) {
            assertEquals("OK", writer.put(key, "1"));
            assertEquals("1", reader.get(key), "the follower should have the write the leader acknowledged");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
