package com.example.replication

import dev.jfail.spock.Explore
import dev.jfail.spock.WithFailPoints
import spock.lang.Shared
import spock.lang.Specification

/**
 * ReplicationExploration in Spock: the two JVMs the spec launched in setupSpec take part in each
 * feature's exploration (they stay up between features; cleanupSpec stops them). Not run by CI
 * (the race's exploration fails, as it should):
 * {@code mvn -f examples/pom.xml test -Dtest=ReplicationSpockExploration}.
 */
@WithFailPoints
class ReplicationSpockExploration extends Specification {

    @Shared Cluster cluster

    def setupSpec() {
        cluster = Cluster.start('async')
    }

    def cleanupSpec() {
        cluster.leader().close()
        cluster.follower().close()
    }

    @Explore(budget = '60s')
    def "a client reads its own write from the follower"() {
        expect:
        ReplicationExploration.readOwnWrite(cluster)
        true
    }
}
