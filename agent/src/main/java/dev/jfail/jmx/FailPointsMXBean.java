package dev.jfail.jmx;

import java.util.List;
import java.util.Map;

/**
 * {@code dev.jfail:type=FailPoints}: the failpoints of this JVM, for jconsole, the jfail CLI and
 * any JMX client. Errors come back as an {@link IllegalArgumentException} with a one-line message.
 */
public interface FailPointsMXBean {

    /** Every known failpoint to its read-back, sorted by name. */
    Map<String, String> list();

    /** The read-back of one point; {@code off} when off or unknown. */
    String get(String name);

    /** Sets one point; a malformed setting, or one a declaring method cannot honour, is refused. */
    void set(String name, String setting);

    /** Several settings at once, {@code name=setting;name=setting}; all or nothing. */
    void setAll(String settings);

    /** Turns one point off, releasing threads paused in it. */
    void off(String name);

    /** Every point off, counters cleared, paused threads released. */
    void reset();

    /** Counters, sites and the threads held in one point. */
    PointStatus status(String name);

    /** {@link #status} of every known point, sorted by name. */
    List<PointStatus> statusAll();

    /**
     * Declares failpoints on methods that carry no annotation, {@code name@com.foo.Bar#method[(desc)]}
     * separated by commas, and instruments their classes if loaded. Returns the declarations.
     */
    List<String> declare(String specs);

    /** The declarations made from configuration. */
    List<String> getDeclarations();

    /** The seed of every probability roll. */
    long getSeed();

    /** Restarts every probability sequence from {@code seed}. */
    void setSeed(long seed);

    /** The agent's version. */
    String getVersion();
}
