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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The follower of a two-node replicated key-value store: the leader sends it {@code APPLY key value}
 * over a loopback socket; it queues the entry, applies it on its applier thread and answers
 * {@code ACK key}. Clients read from it with {@code GET key} ({@code VALUE v} or {@code NONE}).
 *
 * <p>Run: {@code java com.example.replication.Follower} prints {@code follower listening PORT}.
 */
public final class Follower {

    private final Map<String, String> data = new ConcurrentHashMap<>();
    private final BlockingQueue<Runnable> toApply = new LinkedBlockingQueue<>();

    public static void main(String[] args) throws IOException {
        new Follower().serve(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
    }

    void serve(ServerSocket server) throws IOException {
        Thread applier = new Thread(this::applyForever, "applier");
        applier.setDaemon(true);
        applier.start();
        System.out.println("follower listening " + server.getLocalPort());
        while (true) {
            Socket s = server.accept();
            Thread t = new Thread(() -> connection(s), "follower-conn");
            t.setDaemon(true);
            t.start();
        }
    }

    private void connection(Socket socket) {
        try (socket; BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter out = new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                String[] w = line.split(" ", 3);
                switch (w[0]) {
                    case "APPLY" -> toApply.add(() -> {
                        apply(w[1], w[2]);
                        synchronized (out) {
                            out.println("ACK " + w[1]);
                        }
                    });
                    case "GET" -> {
                        String v = data.get(w[1]);
                        synchronized (out) {
                            out.println(v == null ? "NONE" : "VALUE " + v);
                        }
                    }
                    default -> {
                        synchronized (out) {
                            out.println("ERROR unknown request " + w[0]);
                        }
                    }
                }
            }
        } catch (IOException e) {
            // the peer went away
        }
    }

    private void applyForever() {
        while (true) {
            try {
                toApply.take().run();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The entry becomes visible to the follower's readers here. */
    @FailPoint("follower_apply")
    void apply(String key, String value) {
        data.put(key, value);
    }
}
