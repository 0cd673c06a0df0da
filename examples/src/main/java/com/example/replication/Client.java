package com.example.replication;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A client of one node: one connection, one request at a time. */
public final class Client implements AutoCloseable {

    private final Socket socket;
    private final BufferedReader in;
    private final PrintWriter out;

    public Client(int port) {
        try {
            socket = new Socket(InetAddress.getLoopbackAddress(), port);
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            out = new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes through the leader: returns once the leader answered. */
    public synchronized String put(String key, String value) {
        return request("PUT " + key + " " + value);
    }

    /** Reads from the follower: the value, or null when it has none. */
    public synchronized String get(String key) {
        String answer = request("GET " + key);
        return answer.startsWith("VALUE ") ? answer.substring(6) : null;
    }

    private String request(String line) {
        out.println(line);
        try {
            String answer = in.readLine();
            if (answer == null) {
                throw new IOException("the node closed the connection");
            }
            return answer;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
