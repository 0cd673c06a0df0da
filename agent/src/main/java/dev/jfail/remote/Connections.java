package dev.jfail.remote;

import dev.jfail.control.ControlClient;
import dev.jfail.control.ControlServer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * The connections of one handle to one JVM's control channel: one per call under way, kept for the
 * next call (a wait holds its connection while the target waits, so another thread's call uses
 * another). A connection that failed is dropped.
 */
final class Connections implements AutoCloseable {

    private final long pid;
    private final Path socket;
    private final ConcurrentLinkedDeque<Idle> idle = new ConcurrentLinkedDeque<>();

    /**
     * A connection idle longer than this is not used again: the server closes one idle for
     * {@link ControlServer#IDLE_MILLIS}, and a call on it would fail (a handle kept over a pause, a
     * spec's shared JVMs between features).
     */
    private static final long STALE_NANOS = (ControlServer.IDLE_MILLIS - 2_000) * 1_000_000L;

    /** A connection kept for the next call, and since when. */
    private record Idle(ControlClient client, long sinceNanos) {
    }
    private volatile boolean closed;

    private Connections(long pid, Path socket) {
        this.pid = pid;
        this.socket = socket;
    }

    /**
     * The channel of {@code pid}, its first connection made: the socket is looked for until
     * {@code patienceNanos} have passed (a JVM starting up opens it within a second, one whose agent
     * waits for SIGURG is sent it once), while {@code alive} holds.
     */
    static Connections open(long pid, long patienceNanos, java.util.function.BooleanSupplier alive) throws IOException {
        Path socket = ControlServer.socketPath(pid);
        long deadline = System.nanoTime() + patienceNanos;
        long nextWake = System.nanoTime();
        while (true) {
            Optional<ControlClient> client = ControlClient.connect(socket, pid);
            if (client.isPresent()) {
                Connections c = new Connections(pid, socket);
                c.idle.push(new Idle(client.get(), System.nanoTime()));
                return c;
            }
            if (!alive.getAsBoolean()) {
                throw new IOException("it exited before its control channel answered");
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IOException("no jfail control channel at " + socket + " (is the agent loaded there?"
                        + " start it with -javaagent:jfail-agent.jar, or load it once with java -jar jfail-agent.jar " + pid + ")");
            }
            if (System.nanoTime() - nextWake >= 0) { // again now and then: a JVM still starting ignores it
                wake(pid);
                nextWake = System.nanoTime() + 500_000_000L;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for its control channel");
            }
        }
    }

    /** SIGURG opens the channel of an agent loaded at start, once it listens (the signal's default action is to be ignored). */
    private static void wake(long pid) {
        try {
            new ProcessBuilder("kill", "-URG", Long.toString(pid)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        } catch (IOException e) {
            // no kill(1): the agent opens its channel a second after start where it cannot be signalled
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One call on an idle connection or a new one. */
    Object call(String name, long waitMillis, Object... args) throws IOException {
        if (closed) {
            throw new IOException("the handle is closed");
        }
        ControlClient client = fresh();
        if (client == null) {
            client = ControlClient.connect(socket, pid).orElseThrow(() -> new IOException("its control channel is gone"));
        }
        boolean reusable = false;
        try {
            Object result = client.call(name, waitMillis, args);
            reusable = true;
            return result;
        } catch (IllegalArgumentException | IllegalStateException | AssertionError e) {
            reusable = true; // an answer: the connection is fine
            throw e;
        } finally {
            if (reusable && !closed) {
                idle.push(new Idle(client, System.nanoTime()));
            } else {
                client.close();
            }
        }
    }

    /** An idle connection the server has not closed for idleness yet, or null; stale ones are closed. */
    private ControlClient fresh() {
        Idle i;
        while ((i = idle.poll()) != null) {
            if (System.nanoTime() - i.sinceNanos() < STALE_NANOS) {
                return i.client();
            }
            i.client().close();
        }
        return null;
    }

    @Override
    public void close() {
        closed = true;
        Idle i;
        while ((i = idle.poll()) != null) {
            i.client().close();
        }
    }

}
