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

    /**
     * The prefix of its output and its name in messages and timelines (default: the main class's simple name).
     *
     * @param name e.g. {@code leader}
     * @return this launcher, to chain
     */
    public JvmLauncher name(String name) {
        this.name = name;
        return this;
    }

    /**
     * Arguments to its main method.
     *
     * @param more arguments, after those given before
     * @return this launcher, to chain
     */
    public JvmLauncher args(String... more) {
        args.addAll(Arrays.asList(more));
        return this;
    }

    /**
     * Options for its {@code java} ({@code -Xmx64m}, {@code -Dkey=value}, {@code -Djfail.seed=N}).
     *
     * @param more options, after those given before (the {@code -javaagent} is added by the launcher)
     * @return this launcher, to chain
     */
    public JvmLauncher jvmArgs(String... more) {
        jvmArgs.addAll(Arrays.asList(more));
        return this;
    }

    /**
     * Its class path (default: this JVM's {@code java.class.path}); ignored with a jar.
     *
     * @param classPath entries separated by {@link java.io.File#pathSeparator}
     * @return this launcher, to chain
     */
    public JvmLauncher classPath(String classPath) {
        this.classPath = classPath;
        return this;
    }

    /**
     * An environment variable for it (it inherits this JVM's environment otherwise).
     *
     * @param key   the variable's name
     * @param value its value, replacing an inherited one
     * @return this launcher, to chain
     */
    public JvmLauncher env(String key, String value) {
        environment.put(key, value);
        return this;
    }

    /**
     * Starts it; returns once its control channel answers, or throws one line saying why not (its last output included).
     *
     * @return the handle to its failpoints; closing it stops the JVM and everything it started
     */
    public Jvm start() {
        return OtherJvms.connector().launch(this);
    }

    /**
     * The class whose {@code main} it runs.
     *
     * @return its fully qualified name; null for a launcher of a jar
     */
    public String mainClass() {
        return mainClass;
    }

    /**
     * The jar it runs with {@code java -jar}.
     *
     * @return the jar; null for a launcher of a main class
     */
    public Path jar() {
        return jar;
    }

    /**
     * Its name in its output's prefix, messages and timelines.
     *
     * @return the name set, else the main class's simple name or the jar's file name
     */
    public String name() {
        return name;
    }

    /**
     * The arguments to its main method.
     *
     * @return a copy, in order
     */
    public List<String> args() {
        return List.copyOf(args);
    }

    /**
     * The options for its {@code java}, as given.
     *
     * @return a copy, in order, without the {@code -javaagent} the launcher adds
     */
    public List<String> jvmArgs() {
        return List.copyOf(jvmArgs);
    }

    /**
     * Its class path.
     *
     * @return the one set, else this JVM's {@code java.class.path}
     */
    public String classPath() {
        return classPath;
    }

    /**
     * The environment variables set for it, on top of this JVM's.
     *
     * @return a copy
     */
    public Map<String, String> environment() {
        return Map.copyOf(environment);
    }
}
