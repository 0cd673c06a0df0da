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

    /**
     * The JVM's pid.
     *
     * @return its process id
     */
    long pid();

    /**
     * What messages and timelines call it: the launcher's name, else {@code pid N}.
     *
     * @return the name its output lines are prefixed with, for a launched JVM
     */
    String name();

    /**
     * Whether the JVM still runs.
     *
     * @return false once it has exited, after which every call fails at once
     */
    boolean alive();

    /**
     * Stores {@code setting} for the failpoint {@code name} there, as {@link FailPoints#set} does
     * here; a malformed setting throws an {@link IllegalArgumentException} naming the JVM and changes nothing.
     *
     * @param name    the failpoint's name, as declared there (e.g. {@code follower_apply})
     * @param setting what it does, in FreeBSD's language (e.g. {@code 1*pause}, {@code off})
     */
    void set(String name, String setting);

    /**
     * Several settings at once, {@code name=setting;name=setting}; all or nothing.
     *
     * @param settings the list, e.g. {@code a=5*return(22)->off;b=yield}
     */
    void setAll(String settings);

    /**
     * The read-back of one point there; {@code off} when off or unknown.
     *
     * @param name the failpoint's name, as declared there (e.g. {@code follower_apply})
     * @return its setting as {@code sysctl} would print it
     */
    String get(String name);

    /**
     * Turns one failpoint off there, releasing threads paused in it.
     *
     * @param name the failpoint's name, as declared there (e.g. {@code follower_apply})
     */
    void off(String name);

    /** Every point off there, counters cleared, paused threads released. */
    void reset();

    /**
     * Every point known there to its read-back, sorted by name.
     *
     * @return each name to its setting ({@code off} for one declared and never set)
     */
    Map<String, String> list();

    /**
     * Counters and the threads held in {@code name} there.
     *
     * @param name the failpoint's name, as declared there (e.g. {@code follower_apply})
     * @return a snapshot taken there; an unknown name gives one that is {@code off} with nothing counted
     */
    FailPointStatus status(String name);

    /**
     * Declares points there ({@code name@com.foo.Bar#method[:position]}, comma-separated); returns the declarations.
     *
     * @param specs the declarations, as {@link FailPoints#declare} takes them
     * @return the declarations, one each, in canonical form
     */
    List<String> declare(String specs);

    /**
     * Holds the next thread that reaches {@code name} there; the hold's waits and release act there.
     *
     * @param name the failpoint's name, as declared there (e.g. {@code follower_apply})
     * @return the hold, armed there; {@link Hold#awaitHeld()} waits for the thread
     */
    Hold holdAt(String name);

    /**
     * Holds the next {@code threads} threads that reach {@code name} there.
     *
     * @param name    the failpoint's name, as declared there (e.g. {@code follower_apply})
     * @param threads how many threads to hold (the N of {@code N*pause})
     * @return the hold, armed there
     */
    Hold holdAt(String name, int threads);

    /**
     * Lets {@code passing} threads through {@code name} there, then holds the next {@code threads}.
     *
     * @param name    the failpoint's name, as declared there (e.g. {@code follower_apply})
     * @param threads how many threads to hold (the N of {@code M*off->N*pause})
     * @param passing how many arrivals to let through first (the M)
     * @return the hold, armed there
     */
    Hold holdAt(String name, int threads, int passing);

    /**
     * Waits (10 s, or {@code -Djfail.patience}) until some action of {@code name} fired {@code times} times there.
     *
     * @param name  the failpoint's name, as declared there (e.g. {@code follower_apply})
     * @param times how many firings to wait for, counted since the last reset there
     */
    void awaitFired(String name, long times);

    /**
     * The same, waiting at most {@code atMost}.
     *
     * @param name   the failpoint's name, as declared there (e.g. {@code follower_apply})
     * @param times  how many firings to wait for, counted since the last reset there
     * @param atMost how long to wait before the {@link AssertionError}
     */
    void awaitFired(String name, long times, Duration atMost);

    /**
     * The seed of that JVM's probabilities, as {@link FailPoints#seed()} there.
     *
     * @return the seed its {@code N%} rolls start from
     */
    long seed();

    /**
     * Restarts every probability sequence there from {@code seed}, as {@link FailPoints#seed(long)} there.
     *
     * @param seed the seed (what a failing run printed, to roll the same way again)
     */
    void seed(long seed);

    /** Starts a new run of that JVM's recorder (a launched JVM records from its start). */
    void record();

    /**
     * A JVM this handle launched: waits (bounded) for a line of its output that {@code pattern}
     * finds, and returns it; an exited JVM fails at once. Other handles throw {@link UnsupportedOperationException}.
     *
     * @param pattern what to look for in each line ({@link java.util.regex.Matcher#find()}, not a whole-line match)
     * @return the first line it finds, without the {@code [name]} prefix
     */
    String awaitOutput(Pattern pattern);

    /** A launched JVM: stops it and everything it started; otherwise only disconnects. */
    @Override
    void close();
}
