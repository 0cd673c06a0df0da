package dev.jfail;

import dev.jfail.core.Awaits;
import dev.jfail.core.FailPointRegistry;
import dev.jfail.core.NameSuggestions;
import dev.jfail.core.OtherJvms;
import dev.jfail.core.Patience;
import dev.jfail.core.PointHold;
import dev.jfail.core.RuntimeDeclarations;
import dev.jfail.core.SettingList;
import dev.jfail.spi.SelfAttach;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The control facade: FreeBSD's {@code sysctl debug.fail_point.NAME} for this JVM.
 *
 * <pre>{@code
 * FailPoints.set("unlock_and_deallocate_relock", "50%sleep(10)");
 * FailPoints.get("unlock_and_deallocate_relock");   // "50%sleep(10)"
 * FailPoints.setAll("a=5*return(22)->off;debug.fail_point.b=yield");
 * FailPoints.reset();                                 // everything off, paused threads released
 *
 * try (Hold fault = FailPoints.holdAt("vm_fault_hold_pre_lock")) {  // force one interleaving
 *     start(faultThread);
 *     fault.awaitHeld();                                           // the fault is parked in its window
 *     collapse();                                                  // the other side runs meanwhile
 * }                                                                // and the fault goes on
 * FailPoints.awaitFired("vmob_scan_rename_unlock", 1);             // bounded; says what it saw if not
 * }</pre>
 *
 * The holds and waits need the agent (nothing reaches a failpoint without it): when it is not
 * loaded yet they load it into this JVM, or fail at once saying how to attach it.
 */
public final class FailPoints {

    private FailPoints() {
    }

    /**
     * Stores {@code setting} for the failpoint {@code name}. A name no loaded code declares yet is
     * allowed (its class may load later), with a warning on stderr, once per name, naming the closest
     * declared names (it is more often a typo). A malformed setting, or one a declaring method cannot
     * honour (say {@code return(300)} on a method returning {@code byte}), throws an
     * {@link IllegalArgumentException} ({@link FailPointSyntaxException} for syntax) and changes nothing.
     *
     * @param name    the failpoint's name, as declared (e.g. {@code vm_fault_pre}); the
     *                {@code debug.fail_point.} prefix is optional
     * @param setting what it does, in FreeBSD's language (e.g. {@code 50%sleep(10)}, {@code off})
     */
    public static void set(String name, String setting) {
        FailPointRegistry.global().set(name, setting);
        NameSuggestions.warnOnceIfUndeclared(FailPointRegistry.global(), List.of(name), System.err);
    }

    /**
     * Several settings at once, in the form {@code name=setting;name=setting}; all or nothing; warns as {@link #set} does.
     *
     * @param settings the list, e.g. {@code a=5*return(22)->off;debug.fail_point.b=yield}
     */
    public static void setAll(String settings) {
        FailPointRegistry.global().setAll(settings);
        NameSuggestions.warnOnceIfUndeclared(FailPointRegistry.global(), SettingList.parse(settings).keySet(), System.err);
    }

    /**
     * The entries of a {@code name=setting;name=setting} list, in order, names without the
     * {@code debug.fail_point.} prefix, a later entry for a name replacing an earlier one; the settings
     * are not checked (that is {@link #setAll}'s job). An entry without {@code =} or with a bad name
     * throws an {@link IllegalArgumentException} naming it.
     *
     * @param settings the list, {@code name=setting;name=setting}
     * @return each name to its setting, in the list's order
     */
    public static Map<String, String> parseList(String settings) {
        return SettingList.parse(settings);
    }

    /**
     * {@code settings} in the {@code name=setting;name=setting} form {@link #setAll} takes.
     *
     * @param settings each name (prefix optional) to its setting, in the map's order
     * @return the list, names without the prefix, which {@link #parseList} reads back
     */
    public static String listOf(Map<String, ?> settings) {
        return SettingList.join(settings);
    }

    /**
     * The live setting in FreeBSD's read-back form; {@code off} when off or unknown.
     *
     * @param name the failpoint's name, as declared (e.g. {@code vm_fault_pre})
     * @return its setting as {@code sysctl} would print it, e.g. {@code 50%sleep(10)}
     */
    public static String get(String name) {
        return FailPointRegistry.global().get(name);
    }

    /**
     * Turns one failpoint off, releasing threads paused in it.
     *
     * @param name the failpoint's name, as declared (e.g. {@code vm_fault_pre})
     */
    public static void off(String name) {
        FailPointRegistry.global().set(name, "off");
    }

    /** Every failpoint off, counters cleared, paused threads released. */
    public static void reset() {
        FailPointRegistry.global().reset();
    }

    /**
     * Every known failpoint, declared by loaded code or set, to its read-back, sorted by name.
     *
     * @return each name to its setting ({@code off} for one declared and never set)
     */
    public static Map<String, String> list() {
        return FailPointRegistry.global().list();
    }

    /**
     * Counters and the threads held in {@code name} right now.
     *
     * @param name the failpoint's name, as declared (e.g. {@code vm_fault_pre})
     * @return a snapshot; an unknown name gives one that is {@code off} with nothing counted
     */
    public static FailPointStatus status(String name) {
        return FailPointRegistry.global().status(name);
    }

    /**
     * Declares points on code nobody annotated, as {@code -Djfail.points} does at start:
     * {@code NAME@CLASS#METHOD[(DESC)][:POSITION]} or {@code auto@CLASS} / {@code auto@PACKAGE.*} (each
     * argument one declaration or several separated by commas). Classes already loaded are
     * retransformed. All or nothing: a malformed declaration, or one naming a method or position a
     * loaded class lacks, throws an {@link IllegalArgumentException} with a one-line message and
     * declares nothing. Loads the agent into this JVM when it is not loaded yet. Returns the
     * declarations as made.
     * <pre>{@code
     * FailPoints.declare("gap@com.acme.pool.Pool#borrow:line=88");
     * FailPoints.declare("auto@com.acme.pool.*");   // Pool.borrow.after_lock_1, Pool.release.entry, ...
     * }</pre>
     *
     * @param declarations one or more declarations, each of which may hold several separated by commas
     * @return the declarations, one each, in canonical form ({@code auto@} ones as written, not the points they place)
     */
    public static List<String> declare(String... declarations) {
        String joined = String.join(",", declarations);
        if (joined.isBlank()) {
            throw new IllegalArgumentException("no failpoint declaration given: expected NAME@CLASS#METHOD[(DESC)][:POSITION],"
                    + " auto@CLASS or auto@PACKAGE.*");
        }
        SelfAttach.ensureAgent();
        return RuntimeDeclarations.declare(joined);
    }

    /**
     * The explicit declarations that place the point {@code name} where it is, one per site
     * ({@code Pool.borrow.after_lock_1@com.acme.Pool#borrow(I)Ljava/lang/Object;:after=java.util.concurrent.locks.Lock.lock()V#1}):
     * for a point {@code auto@} placed, what a test declares to have it without {@code auto@}. Empty
     * for a point only {@code @FailPoint} declares, or when the agent is not loaded.
     *
     * @param name the failpoint's name, e.g. {@code Pool.borrow.after_lock_1}
     * @return the declarations that place it, one per site
     */
    public static List<String> declarationsOf(String name) {
        return RuntimeDeclarations.declarationsOf(name);
    }

    /**
     * The seed of every probability roll.
     *
     * @return the seed in force: {@code -Djfail.seed}, the last {@link #seed(long)}, or one chosen at start
     */
    public static long seed() {
        return FailPointRegistry.global().seed();
    }

    /**
     * Sets the seed and restarts every thread's sequence of rolls from it, so a run can be replayed.
     *
     * @param seed the seed a failure printed, or any other
     */
    public static void seed(long seed) {
        FailPointRegistry.global().seed(seed);
    }

    /**
     * Holds the next thread that reaches {@code name} ({@code 1*pause}) until the hold is released
     * or closed; see {@link Hold}.
     *
     * @param name the failpoint's name, as declared (e.g. {@code vm_fault_hold_pre_lock})
     * @return the hold, armed; {@link Hold#awaitHeld()} waits for the thread
     */
    public static Hold holdAt(String name) {
        return holdAt(name, 1);
    }

    /**
     * Holds the next {@code threads} threads that reach {@code name} ({@code N*pause}).
     *
     * @param name    the failpoint's name, as declared
     * @param threads how many threads to hold (N, at least 1)
     * @return the hold, armed; {@link Hold#awaitHeld()} waits until all of them are parked
     */
    public static Hold holdAt(String name, int threads) {
        return holdAt(name, threads, 0);
    }

    /**
     * Lets {@code passing} threads through {@code name}, then holds the next {@code threads}
     * ({@code M*off->N*pause}): to stop the third arrival, {@code holdAt(name, 1, 2)}.
     *
     * @param name    the failpoint's name, as declared
     * @param threads how many threads to hold (N, at least 1)
     * @param passing how many arrivals to let through first (M)
     * @return the hold, armed; {@link Hold#awaitHeld()} waits until the held ones are parked
     */
    public static Hold holdAt(String name, int threads, int passing) {
        SelfAttach.ensureAgent();
        return PointHold.arm(FailPointRegistry.global(), name, threads, passing);
    }

    /**
     * Holds {@code thread}, and only it, the next time it reaches {@code name} ({@code 1*pause[pid ID]});
     * every other thread passes. To stop a named worker (a kernel thread) whatever the others do.
     *
     * @param name   the failpoint's name, as declared
     * @param thread the only thread to hold there
     * @return the hold, armed; {@link Hold#awaitHeld()} waits until {@code thread} is parked
     */
    public static Hold holdAt(String name, Thread thread) {
        SelfAttach.ensureAgent();
        return PointHold.armFor(FailPointRegistry.global(), name, thread);
    }

    /**
     * Waits (10 s, or {@code -Djfail.patience=SECONDS}) until some action of {@code name} has fired
     * at least {@code times} times since the last reset; otherwise throws an {@link AssertionError}
     * saying how often it fired and was reached, its setting, and whether any loaded code declares it.
     *
     * @param name  the failpoint's name, as declared
     * @param times how many firings to wait for, counted since the last reset
     */
    public static void awaitFired(String name, long times) {
        awaitFired(name, times, Patience.standard());
    }

    /**
     * The same, waiting at most {@code atMost}.
     *
     * @param name   the failpoint's name, as declared
     * @param times  how many firings to wait for, counted since the last reset
     * @param atMost how long to wait before the {@link AssertionError}
     */
    public static void awaitFired(String name, long times, Duration atMost) {
        SelfAttach.ensureAgent();
        Awaits.fired(FailPointRegistry.global(), name, times, atMost);
    }

    /**
     * Another running JVM's failpoints, by pid, over its owner-only control channel: a handle with
     * this facade's verbs (see {@link Jvm}). The JVM needs the agent (started with {@code -javaagent},
     * or loaded once by the CLI); it is woken to open its channel if it has not yet. Throws one line
     * naming the pid when it cannot be reached.
     *
     * @param pid the other JVM's process id (as {@code jps} lists it)
     * @return a handle to its failpoints; closing it disconnects
     */
    public static Jvm jvm(long pid) {
        return OtherJvms.connector().connect(pid);
    }

    /**
     * A launcher for a JVM of the system under test running {@code mainClass}; see {@link JvmLauncher}.
     *
     * @param mainClass the fully qualified name of the class whose {@code main} it runs
     * @return a launcher to configure, then {@link JvmLauncher#start()}
     */
    public static JvmLauncher launcher(String mainClass) {
        return new JvmLauncher(mainClass, null);
    }

    /**
     * A launcher for a JVM of the system under test running {@code java -jar jar}.
     *
     * @param jar the executable jar (its manifest names the main class)
     * @return a launcher to configure, then {@link JvmLauncher#start()}
     */
    public static JvmLauncher launcherOfJar(java.nio.file.Path jar) {
        return new JvmLauncher(null, jar);
    }
}
