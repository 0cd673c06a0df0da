package dev.jfail;

import dev.jfail.core.FailPointRegistry;

import java.util.Map;

/**
 * The control facade: FreeBSD's {@code sysctl debug.fail_point.NAME} for this JVM.
 *
 * <pre>{@code
 * FailPoints.set("unlock_and_deallocate_relock", "50%sleep(10)");
 * FailPoints.get("unlock_and_deallocate_relock");   // "50%sleep(10)"
 * FailPoints.setAll("a=5*return(22)->off;debug.fail_point.b=yield");
 * FailPoints.reset();                                 // everything off, paused threads released
 * }</pre>
 */
public final class FailPoints {

    private FailPoints() {
    }

    /**
     * Stores {@code setting} for the failpoint {@code name}. A name no loaded code declares yet is
     * allowed (its class may load later). A malformed setting, or one a declaring method cannot
     * honour (say {@code return(300)} on a method returning {@code byte}), throws an
     * {@link IllegalArgumentException} ({@link FailPointSyntaxException} for syntax) and changes nothing.
     */
    public static void set(String name, String setting) {
        FailPointRegistry.global().set(name, setting);
    }

    /** Several settings at once, in the form {@code name=setting;name=setting}; all or nothing. */
    public static void setAll(String settings) {
        FailPointRegistry.global().setAll(settings);
    }

    /** The live setting in FreeBSD's read-back form; {@code off} when off or unknown. */
    public static String get(String name) {
        return FailPointRegistry.global().get(name);
    }

    /** Turns one failpoint off, releasing threads paused in it. */
    public static void off(String name) {
        FailPointRegistry.global().set(name, "off");
    }

    /** Every failpoint off, counters cleared, paused threads released. */
    public static void reset() {
        FailPointRegistry.global().reset();
    }

    /** Every known failpoint, declared by loaded code or set, to its read-back, sorted by name. */
    public static Map<String, String> list() {
        return FailPointRegistry.global().list();
    }

    /** Counters and the threads held in {@code name} right now. */
    public static FailPointStatus status(String name) {
        return FailPointRegistry.global().status(name);
    }

    /** The seed of every probability roll. */
    public static long seed() {
        return FailPointRegistry.global().seed();
    }

    /** Sets the seed and restarts every thread's sequence of rolls from it, so a run can be replayed. */
    public static void seed(long seed) {
        FailPointRegistry.global().seed(seed);
    }
}
