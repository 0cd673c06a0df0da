package dev.jfail.remote;

import dev.jfail.FailPointStatus;
import dev.jfail.Hold;
import dev.jfail.Jvm;
import dev.jfail.core.Messages;
import dev.jfail.core.Patience;
import dev.jfail.jmx.PointStatus;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@link Jvm} over a JVM's control channel. Every message starts with {@code jvm NAME (pid N): }; a
 * JVM that has exited fails every call at once (its socket closes with it, so a wait under way ends
 * then too) with what it exited with, when this JVM started it.
 */
final class RemoteJvm implements Jvm {

    private final long pid;
    private final String name;
    private final Connections connections;
    private final Launched launched; // null: not started by this JVM
    /** The target's nanoTime minus this JVM's, measured at connect (the best of a few round trips). */
    private final long clockOffset;

    RemoteJvm(long pid, String name, Connections connections, Launched launched) throws IOException {
        this.pid = pid;
        this.name = name;
        this.connections = connections;
        this.launched = launched;
        this.clockOffset = measureOffset();
    }

    private long measureOffset() throws IOException {
        long best = Long.MAX_VALUE;
        long offset = 0;
        for (int i = 0; i < 7; i++) {
            long before = System.nanoTime();
            long there = (Long) connections.call("clock", 0);
            long after = System.nanoTime();
            if (after - before < best) {
                best = after - before;
                offset = there - (before + (after - before) / 2);
            }
        }
        return offset;
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public String name() {
        return name;
    }

    /** The target's nanoTime minus this JVM's. */
    long clockOffset() {
        return clockOffset;
    }

    @Override
    public boolean alive() {
        return launched != null ? launched.process().isAlive() : ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private String who() {
        return "jvm " + name + (name.equals("pid " + pid) ? "" : " (pid " + pid + ")");
    }

    /** Why it is gone, once it is: {@code exited with 1}, or null while it runs. */
    private String exited() {
        if (alive()) {
            return null;
        }
        if (launched != null) {
            try {
                launched.process().waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "exited with " + launched.process().exitValue() + launched.lastOutput();
        }
        return "has exited";
    }

    /** One request; {@code waitMillis} > 0 for a wait the target makes (whose failure is an AssertionError). */
    Object call(String operation, long waitMillis, Object... args) {
        String gone = exited();
        if (gone != null) {
            throw failure(waitMillis > 0, who() + " " + gone + "; cannot " + operation);
        }
        try {
            return connections.call(operation, waitMillis, args);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(who() + ": " + e.getMessage(), e);
        } catch (IllegalStateException e) {
            throw new IllegalStateException(who() + ": " + e.getMessage(), e);
        } catch (AssertionError e) {
            throw new AssertionError(who() + ": " + e.getMessage(), e);
        } catch (IOException e) {
            String now = awaitExit();
            throw failure(waitMillis > 0, who() + (now != null ? " " + now + " during " + operation
                    : ": " + operation + " failed: " + Messages.message(e)));
        }
    }

    /** A broken connection usually means the JVM is going: give it a moment to be seen gone. */
    private String awaitExit() {
        for (int i = 0; i < 50 && alive(); i++) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return exited();
    }

    private static RuntimeException failure(boolean wait, String message) {
        if (wait) {
            throw new AssertionError(message);
        }
        return new IllegalStateException(message);
    }

    @Override
    public void set(String point, String setting) {
        call("set", 0, point, setting);
    }

    @Override
    public void setAll(String settings) {
        call("setAll", 0, settings);
    }

    @Override
    public String get(String point) {
        return (String) call("get", 0, point);
    }

    @Override
    public void off(String point) {
        call("off", 0, point);
    }

    @Override
    public void reset() {
        call("reset", 0);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<String, String> list() {
        Map<String, String> out = new LinkedHashMap<>();
        ((Map<String, Object>) call("list", 0)).forEach((k, v) -> out.put(k, (String) v));
        return out;
    }

    @Override
    public FailPointStatus status(String point) {
        return Statuses.of((PointStatus) call("status", 0, point));
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<String> declare(String specs) {
        List<String> out = new ArrayList<>();
        ((List<Object>) call("declare", 0, specs)).forEach(d -> out.add((String) d));
        return out;
    }

    @Override
    public Hold holdAt(String point) {
        return holdAt(point, 1);
    }

    @Override
    public Hold holdAt(String point, int threads) {
        return holdAt(point, threads, 0);
    }

    @Override
    public Hold holdAt(String point, int threads, int passing) {
        String canonical = (String) call("holdAt", 0, point, (long) threads, (long) passing);
        return new RemoteHold(this, canonical, threads);
    }

    @Override
    public void awaitFired(String point, long times) {
        awaitFired(point, times, Patience.standard());
    }

    @Override
    public void awaitFired(String point, long times, Duration atMost) {
        call("awaitFired", atMost.toMillis(), point, times, atMost.toMillis());
    }

    @Override
    public long seed() {
        return (Long) call("getSeed", 0);
    }

    @Override
    public void seed(long seed) {
        call("setSeed", 0, seed);
    }

    @Override
    public void record() {
        call("record", 0);
    }

    @Override
    public String awaitOutput(Pattern pattern) {
        if (launched == null) {
            throw new UnsupportedOperationException(who() + " was not started by this JVM: its output is not here");
        }
        return launched.awaitLine(pattern, Patience.standard(), who());
    }

    /** What its recorder kept, as {@link dev.jfail.control.JvmRequests#recorded()} sends it. */
    @SuppressWarnings("unchecked")
    Map<String, Object> recorded() {
        return (Map<String, Object>) call("recorded", 0);
    }

    @Override
    public void close() {
        connections.close();
        if (launched != null) {
            launched.stop();
        }
        RemoteJvms.forget(this);
    }

    @Override
    public String toString() {
        return who();
    }
}
