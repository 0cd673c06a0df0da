package com.example.replication;

import dev.jfail.FailPoints;
import dev.jfail.Jvm;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The two processes of the replicated store, each a JVM of its own started by jfail's launcher
 * (with the agent, from the same jar as the test's): the follower first, then the leader connected
 * to it. Both are stopped when the test that started them ends.
 *
 * @param mode {@code async} (the race) or {@code sync} (the fix)
 */
public record Cluster(Jvm follower, Jvm leader, int followerPort, int leaderPort) {

    private static final Pattern PORT = Pattern.compile("listening (\\d+)");

    public static Cluster start(String mode) {
        Jvm follower = FailPoints.launcher(Follower.class.getName()).name("follower").start();
        int followerPort = port(follower);
        Jvm leader = FailPoints.launcher(Leader.class.getName()).name("leader")
                .args(Integer.toString(followerPort), mode).start();
        return new Cluster(follower, leader, followerPort, port(leader));
    }

    private static int port(Jvm jvm) {
        Matcher m = PORT.matcher(jvm.awaitOutput(PORT));
        m.find();
        return Integer.parseInt(m.group(1));
    }

    /** A client of the leader (for writes). */
    public Client writer() {
        return new Client(leaderPort);
    }

    /** A client of the follower (for reads). */
    public Client reader() {
        return new Client(followerPort);
    }
}
