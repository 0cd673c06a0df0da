package dev.jfail;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Another JVM's failpoints, from a test: the facade's verbs acting in that JVM, over its owner-only
 * control channel (a Unix domain socket only its user can open; no port). Made by
 * {@link FailPoints#jvm(long)} for a running JVM with the agent, or by {@link JvmLauncher#start()} for
 * one a test starts.
 *
 * <pre>{@code
 * try (Jvm leader = FailPoints.launcher("com.example.Leader").name("leader").start();
 *      Hold apply = follower.holdAt("follower_apply")) {     // a thread of the follower stops there
 *     client.write("k", "v");                                  // the leader answers meanwhile
 *     apply.awaitHeld();
 * }
 * }</pre>
 *
 * Bounded waits ({@link Hold#awaitHeld()}, {@link #awaitFired}) wait in the target: the handle sends
 * one request and reads one answer. Errors are one line naming the JVM; once the JVM has exited,
 * every call and wait fails at once saying so. Safe for use from several threads (each concurrent
 * call has its own connection).
 */
public interface Jvm extends AutoCloseable {

    /** The JVM's pid. */
    long pid();

    /** What messages and timelines call it: the launcher's name, else {@code pid N}. */
    String name();

    /** Whether the JVM still runs. */
    boolean alive();

    void set(String name, String setting);

    /** Several settings at once, {@code name=setting;name=setting}; all or nothing. */
    void setAll(String settings);

    /** The read-back of one point there; {@code off} when off or unknown. */
    String get(String name);

    void off(String name);

    /** Every point off there, counters cleared, paused threads released. */
    void reset();

    /** Every point known there to its read-back, sorted by name. */
    Map<String, String> list();

    /** Counters and the threads held in {@code name} there. */
    FailPointStatus status(String name);

    /** Declares points there ({@code name@com.foo.Bar#method[:position]}, comma-separated); returns the declarations. */
    List<String> declare(String specs);

    /** Holds the next thread that reaches {@code name} there; the hold's waits and release act there. */
    Hold holdAt(String name);

    /** Holds the next {@code threads} threads that reach {@code name} there. */
    Hold holdAt(String name, int threads);

    /** Lets {@code passing} threads through {@code name} there, then holds the next {@code threads}. */
    Hold holdAt(String name, int threads, int passing);

    /** Waits (10 s, or {@code -Djfail.patience}) until some action of {@code name} fired {@code times} times there. */
    void awaitFired(String name, long times);

    /** The same, waiting at most {@code atMost}. */
    void awaitFired(String name, long times, Duration atMost);

    /** The seed of that JVM's probabilities, as {@link FailPoints#seed()} there. */
    long seed();

    /** Restarts every probability sequence there from {@code seed}, as {@link FailPoints#seed(long)} there. */
    void seed(long seed);

    /** Starts a new run of that JVM's recorder (a launched JVM records from its start). */
    void record();

    /**
     * A JVM this handle launched: waits (bounded) for a line of its output that {@code pattern}
     * finds, and returns it; an exited JVM fails at once. Other handles throw {@link UnsupportedOperationException}.
     */
    String awaitOutput(Pattern pattern);

    /** A launched JVM: stops it and everything it started; otherwise only disconnects. */
    @Override
    void close();
}
