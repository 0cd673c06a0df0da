package com.example.replication;

import dev.jfail.FailPoint;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The leader of a two-node replicated key-value store. A client's {@code PUT key value} is stored
 * here and sent to the follower ({@code APPLY key value}); the leader answers {@code OK}.
 *
 * <p>The race (the default, {@code async}): the leader answers as soon as the entry is sent, so the
 * follower may apply it after the leader has answered the client, and a client that wrote and then
 * reads from the follower reads the old value. Its window is the follower's queue and applier
 * thread: how often a read falls into it depends on the machine and on how soon the client reads
 * (bench/replication-race.sh in jfail's repository measures it). The fix ({@code sync}): the
 * leader answers only once the follower has acknowledged the entry applied.
 *
 * <p>Run: {@code java com.example.replication.Leader FOLLOWER_PORT [async|sync]} prints
 * {@code leader listening PORT}.
 */
public final class Leader {

    private final boolean waitForFollower;
    private final Map<String, String> data = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Void>> acks = new ConcurrentHashMap<>();
    private final PrintWriter toFollower;

    private Leader(Socket follower, boolean waitForFollower) throws IOException {
        this.waitForFollower = waitForFollower;
        this.toFollower = new PrintWriter(follower.getOutputStream(), true, StandardCharsets.UTF_8);
        BufferedReader fromFollower = new BufferedReader(new InputStreamReader(follower.getInputStream(), StandardCharsets.UTF_8));
        Thread t = new Thread(() -> readAcks(fromFollower), "acks");
        t.setDaemon(true);
        t.start();
    }

    public static void main(String[] args) throws IOException {
        int followerPort = Integer.parseInt(args[0]);
        boolean sync = args.length > 1 && args[1].equals("sync");
        Leader leader = new Leader(new Socket(InetAddress.getLoopbackAddress(), followerPort), sync);
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        System.out.println("leader listening " + server.getLocalPort() + (sync ? " (sync)" : " (async)"));
        while (true) {
            Socket s = server.accept();
            Thread t = new Thread(() -> leader.client(s), "leader-conn");
            t.setDaemon(true);
            t.start();
        }
    }

    private void client(Socket socket) {
        try (socket; BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter out = new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                String[] w = line.split(" ", 3);
                if (w[0].equals("PUT") && w.length == 3) {
                    put(w[1], w[2]);
                    answer(out, "OK");
                } else {
                    answer(out, "ERROR expected PUT key value");
                }
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    private void put(String key, String value) {
        data.put(key, value);
        CompletableFuture<Void> ack = new CompletableFuture<>();
        acks.put(key, ack);
        synchronized (toFollower) {
            toFollower.println("APPLY " + key + " " + value);
        }
        if (waitForFollower) {
            awaitAck(ack);
        }
    }

    /** The fixed leader waits here until the follower has applied the entry. */
    @FailPoint("leader_await_ack")
    void awaitAck(CompletableFuture<Void> ack) {
        ack.join();
    }

    /** The client learns its write is done here. */
    @FailPoint("leader_reply")
    void answer(PrintWriter out, String reply) {
        out.println(reply);
    }

    private void readAcks(BufferedReader in) {
        try {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("ACK ")) {
                    CompletableFuture<Void> ack = acks.remove(line.substring(4));
                    if (ack != null) {
                        ack.complete(null);
                    }
                }
            }
        } catch (IOException e) {
            // the follower went away
        }
        System.out.println("the follower is gone");
        System.exit(2);
    }
}
