package dev.jfail;

import dev.jfail.core.OtherJvms;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts a JVM of the system under test, for a test: {@code java -javaagent:JFAIL-JAR ... MAIN ARGS},
 * the agent from the same jar as this test's jfail classes (so the versions match), and returns its
 * {@link Jvm} handle once its control channel answers. Its output is forwarded line by line with a
 * {@code [name]} prefix. It is stopped with everything it started when its handle is closed, when the
 * test that started it ends (the JUnit 5 and Spock extensions), when this JVM exits, and (the agent
 * watches its parent) when this JVM is killed.
 *
 * <pre>{@code
 * try (Jvm leader = FailPoints.launcher("com.example.repl.Leader").name("leader").args("0").start()) { ... }
 * }</pre>
 */
public final class JvmLauncher {

    private final String mainClass;
    private final Path jar;
    private String name;
    private final List<String> args = new ArrayList<>();
    private final List<String> jvmArgs = new ArrayList<>();
    private String classPath = System.getProperty("java.class.path");
    private final Map<String, String> environment = new LinkedHashMap<>();

    JvmLauncher(String mainClass, Path jar) {
        this.mainClass = mainClass;
        this.jar = jar;
        this.name = mainClass != null ? mainClass.substring(mainClass.lastIndexOf('.') + 1) : jar.getFileName().toString();
    }

    /** The prefix of its output and its name in messages and timelines (default: the main class's simple name). */
    public JvmLauncher name(String name) {
        this.name = name;
        return this;
    }

    /** Arguments to its main method. */
    public JvmLauncher args(String... more) {
        args.addAll(Arrays.asList(more));
        return this;
    }

    /** Options for its {@code java} ({@code -Xmx64m}, {@code -Dkey=value}, {@code -Djfail.seed=N}). */
    public JvmLauncher jvmArgs(String... more) {
        jvmArgs.addAll(Arrays.asList(more));
        return this;
    }

    /** Its class path (default: this JVM's {@code java.class.path}); ignored with a jar. */
    public JvmLauncher classPath(String classPath) {
        this.classPath = classPath;
        return this;
    }

    /** An environment variable for it (it inherits this JVM's environment otherwise). */
    public JvmLauncher env(String key, String value) {
        environment.put(key, value);
        return this;
    }

    /** Starts it; returns once its control channel answers, or throws one line saying why not (its last output included). */
    public Jvm start() {
        return OtherJvms.connector().launch(this);
    }

    public String mainClass() {
        return mainClass;
    }

    public Path jar() {
        return jar;
    }

    public String name() {
        return name;
    }

    public List<String> args() {
        return List.copyOf(args);
    }

    public List<String> jvmArgs() {
        return List.copyOf(jvmArgs);
    }

    public String classPath() {
        return classPath;
    }

    public Map<String, String> environment() {
        return Map.copyOf(environment);
    }
}
