package dev.jfail.remote;

import dev.jfail.JvmLauncher;
import dev.jfail.agent.AgentJar;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A JVM a test started: the process, its output (forwarded with a {@code [name]} prefix and kept
 * for {@link #awaitLine}), and its end. It is stopped with every process it started by
 * {@link #stop()}, by {@link #stopAll()} (the extensions, after each test), by this JVM's shutdown,
 * and by the agent in it when this JVM dies ({@code -Djfail.parent}).
 */
final class Launched {

    /** The property naming the agent jar when jfail's classes do not come from it (a build's own classes directory). */
    static final String AGENT_JAR_PROPERTY = "jfail.agent.jar";
    private static final int KEPT_LINES = 2000;
    private static final Set<Launched> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(Launched::stopAll, "jfail-launched-stop"));
    }

    private final String name;
    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final List<Thread> forwarders = new ArrayList<>();

    private Launched(String name, Process process) {
        this.name = name;
        this.process = process;
        forwarders.add(forward(process.getInputStream(), System.out));
        forwarders.add(forward(process.getErrorStream(), System.err));
    }

    /** Starts it; the process runs, its channel may not answer yet. */
    static Launched start(JvmLauncher spec) throws IOException {
        List<String> command = command(spec, agentJar());
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(spec.environment());
        Launched launched = new Launched(spec.name(), builder.start());
        RUNNING.add(launched);
        return launched;
    }

    static List<String> command(JvmLauncher spec, Path agentJar) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // --jmx: the channel opens before main runs, so the handle is there at once
        command.add("-javaagent:" + agentJar + "=--jmx");
        command.add("-Djfail.recorder=on");
        command.add("-Djfail.parent=" + ProcessHandle.current().pid());
        command.addAll(spec.jvmArgs());
        if (spec.jar() != null) {
            command.add("-jar");
            command.add(spec.jar().toString());
        } else {
            command.add("-cp");
            command.add(spec.classPath());
            command.add(spec.mainClass());
        }
        command.addAll(spec.args());
        return command;
    }

    /** The agent jar these jfail classes come from, or the one {@code -Djfail.agent.jar} names. */
    static Path agentJar() {
        Path jar = AgentJar.ofTheseClasses();
        if (jar != null) {
            return jar;
        }
        String named = System.getProperty(AGENT_JAR_PROPERTY);
        if (named != null && Files.isRegularFile(Path.of(named))) {
            return Path.of(named);
        }
        throw new IllegalStateException("jfail's classes come from " + AgentJar.location() + ", not from the agent jar,"
                + " so there is no jar to start a JVM with; name one with -D" + AGENT_JAR_PROPERTY + "=path/to/jfail-agent.jar"
                + (named != null ? " (" + named + " is not a file)" : ""));
    }

    private Thread forward(InputStream stream, PrintStream to) {
        Thread t = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    lines.add(line);
                    if (lines.size() > KEPT_LINES) {
                        lines.remove(0);
                    }
                    to.println("[" + name + "] " + line);
                }
            } catch (IOException e) {
                // the process is gone
            }
        }, "jfail-output-" + name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    Process process() {
        return process;
    }

    /** The first kept line {@code pattern} finds, waiting at most {@code atMost}; fails at once once the process has exited. */
    String awaitLine(Pattern pattern, Duration atMost, String who) {
        long deadline = System.nanoTime() + atMost.toNanos();
        int from = 0;
        while (true) {
            List<String> now = List.copyOf(lines);
            for (int i = Math.min(from, now.size()); i < now.size(); i++) {
                if (pattern.matcher(now.get(i)).find()) {
                    return now.get(i);
                }
            }
            from = 0; // the list may have been trimmed: look at all again
            boolean exited = !process.isAlive();
            if (exited) {
                forwarders.forEach(f -> join(f, 2000)); // the last lines may still be on their way
                for (String line : lines) {
                    if (pattern.matcher(line).find()) {
                        return line;
                    }
                }
                throw new AssertionError(who + " exited with " + process.exitValue() + " before printing a line matching /"
                        + pattern + "/" + lastOutput());
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("waited " + atMost.toSeconds() + " s for " + who + " to print a line matching /"
                        + pattern + "/" + lastOutput());
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + who + " to print /" + pattern + "/");
            }
        }
    }

    /** "; its last output: ..." (a few lines), or empty. */
    String lastOutput() {
        List<String> now = List.copyOf(lines);
        if (now.isEmpty()) {
            return "";
        }
        return "; its last output: " + String.join(" | ", now.subList(Math.max(0, now.size() - 3), now.size()));
    }

    private static void join(Thread t, long millis) {
        try {
            t.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the process and every process it started (asked first, killed after 5 s). */
    void stop() {
        RUNNING.remove(this);
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        descendants.forEach(ProcessHandle::destroyForcibly);
    }

    /** Stops every JVM this one launched that still runs. */
    static void stopAll() {
        for (Launched l : List.copyOf(RUNNING)) {
            l.stop();
        }
    }

    /** Whether any launched JVM still runs. */
    static boolean anyRunning() {
        return !RUNNING.isEmpty();
    }
}
