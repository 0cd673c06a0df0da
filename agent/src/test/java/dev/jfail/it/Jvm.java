package dev.jfail.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A second JVM for the integration tests, run with the same {@code java} as the tests, its output
 * collected line by line. Never outlives its test: {@link #close()} kills it.
 */
final class Jvm implements AutoCloseable {

    static final Duration PATIENCE = Duration.ofSeconds(60);

    private final Process process;
    private final List<String> out = new CopyOnWriteArrayList<>();
    private final List<String> err = new CopyOnWriteArrayList<>();
    private final List<Thread> collectors = new CopyOnWriteArrayList<>();

    private Jvm(Process process) {
        this.process = process;
        collect(process.getInputStream(), out);
        collect(process.getErrorStream(), err);
    }

    /** The agent jar under test (failsafe passes its path). */
    static Path agentJar() {
        String jar = System.getProperty("jfail.agent.jar");
        assertTrue(jar != null && Files.isRegularFile(Path.of(jar)), "-Djfail.agent.jar must name the built agent: " + jar);
        return Path.of(jar);
    }

    /** The test classes, holding the fixture applications (and no copy of the agent). */
    static Path fixtures() {
        try {
            return Path.of(Jvm.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path java() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /** Starts {@code java ARGS...} with {@code environment} added. */
    static Jvm start(List<String> arguments, Map<String, String> environment) {
        return startProgram(java().toString(), arguments, environment);
    }

    /** Starts {@code PROGRAM ARGS...} with {@code environment} added. */
    static Jvm startProgram(String program, List<String> arguments, Map<String, String> environment) {
        List<String> command = new ArrayList<>();
        command.add(program);
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove("FAILPOINTS");
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        builder.environment().putAll(environment);
        try {
            return new Jvm(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Jvm start(List<String> arguments) {
        return start(arguments, Map.of());
    }

    /** Runs {@code java ARGS...} to its end. */
    static Result run(List<String> arguments, Map<String, String> environment) {
        try (Jvm jvm = start(arguments, environment)) {
            return jvm.awaitExit();
        }
    }

    static Result run(List<String> arguments) {
        return run(arguments, Map.of());
    }

    /** Runs {@code PROGRAM ARGS...} (a wrapper such as runuser around java) to its end. */
    static Result runProgram(String program, List<String> arguments) {
        try (Jvm process = startProgram(program, arguments, Map.of())) {
            return process.awaitExit();
        }
    }

    /** {@code java -jar jfail-agent.jar ARGS...}: the CLI. */
    static Result cli(Object... arguments) {
        List<String> command = new ArrayList<>(List.of("-jar", agentJar().toString()));
        for (Object a : arguments) {
            command.add(String.valueOf(a));
        }
        return run(command);
    }

    long pid() {
        return process.pid();
    }

    /** Waits until a line of stdout equals {@code line}. */
    void awaitLine(String line) {
        await("a line '" + line + "' from the second JVM; stdout " + out + " stderr " + err)
                .atMost(PATIENCE).pollInterval(Duration.ofMillis(20)).until(() -> out.contains(line));
    }

    /** Waits until a line of stdout matches {@code pattern}; returns it. */
    String awaitMatch(java.util.regex.Pattern pattern) {
        await("a line matching /" + pattern + "/ from the second JVM; stdout " + out + " stderr " + err)
                .atMost(PATIENCE).pollInterval(Duration.ofMillis(20)).until(() -> out.stream().anyMatch(l -> pattern.matcher(l).find()));
        return out.stream().filter(l -> pattern.matcher(l).find()).findFirst().orElseThrow();
    }

    /** Closes the JVM's stdin: the fixture applications end normally then. */
    void closeInput() {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<String> stdout() {
        return List.copyOf(out);
    }

    List<String> stderr() {
        return List.copyOf(err);
    }

    Result awaitExit() {
        try {
            if (!process.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("the second JVM did not end within " + PATIENCE + "; stdout " + out + " stderr " + err);
            }
            // let the collectors drain what is left
            await().atMost(Duration.ofSeconds(10)).until(() -> collectors.stream().noneMatch(Thread::isAlive));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return new Result(process.exitValue(), List.copyOf(out), List.copyOf(err));
    }

    private void collect(InputStream stream, List<String> into) {
        Thread t = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    into.add(line);
                }
            } catch (IOException ignored) {
                // the process is gone
            }
        }, "collect-" + process.pid());
        t.setDaemon(true);
        collectors.add(t);
        t.start();
    }

    /**
     * Ends the JVM as a user would (SIGTERM: its shutdown hooks run, so the agent removes its control
     * socket), and kills it if it has not ended within ten seconds.
     */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** SIGKILL: the JVM ends at once, with no shutdown hook run. Whether it ended within the patience. */
    boolean kill() throws InterruptedException {
        process.destroyForcibly();
        return process.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    }

    /** How a JVM ended. */
    record Result(int exit, List<String> stdout, List<String> stderr) {
        String out() {
            return String.join("\n", stdout);
        }

        String err() {
            return String.join("\n", stderr);
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out() + "\n--- stderr\n" + err();
        }
    }
}
