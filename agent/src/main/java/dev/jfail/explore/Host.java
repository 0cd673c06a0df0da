package dev.jfail.explore;

import dev.jfail.FailPointStatus;
import dev.jfail.core.Site;
import dev.jfail.trace.TraceEvent;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The failpoints of one JVM, as the explorer uses them: this JVM's registry ({@link LocalHost}) or
 * another JVM's through its handle ({@link JvmHost}). Names are the JVM's own, unqualified;
 * {@link Hosts} routes qualified ones.
 */
interface Host {

    /** Its qualifier in point names ({@link dev.jfail.core.JvmPoint#qualifier}); null for this JVM. */
    String qualifier();

    /** What it is called (its handle's name); null for this JVM. */
    String name();

    /** Whether its points can still be reached (this JVM's always can). */
    boolean alive();

    long seed();

    void seed(long seed);

    /** Every point off, counters cleared, paused threads released. */
    void reset();

    /** {@code name=setting;...}, all or nothing. */
    void setAll(String settings);

    void set(String point, String setting);

    FailPointStatus status(String point);

    /** The crossings of each of {@code points} since the last reset (a point never crossed: absent or 0). */
    Map<String, Long> evaluations(Collection<String> points);

    /** The points its loaded code declares. */
    List<String> declaredNames();

    /** The methods that carry {@code point}; a return type this JVM cannot know is {@link JvmHost#UNKNOWN_TYPE}. */
    List<Site> sites(String point);

    /** Whether the explorer may throw from its points ({@code panic}): only where it sees what the exception breaks. */
    boolean mayPanic();

    /** Starts recording which threads cross its points; true when it started a recording it must end. */
    boolean beginRecording();

    /** The crossings recorded, on this JVM's clock (ends a recording {@link #beginRecording} started). */
    List<TraceEvent> endRecording(boolean started);
}
