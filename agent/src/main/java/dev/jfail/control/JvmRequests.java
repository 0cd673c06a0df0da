package dev.jfail.control;

import dev.jfail.core.Awaits;
import dev.jfail.core.FailPointRegistry;
import dev.jfail.core.PointHold;
import dev.jfail.trace.Recorder;
import dev.jfail.trace.TraceEvent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What another JVM's handle ({@code FailPoints.jvm(pid)}) asks of this one besides the MBean's
 * operations: holds, bounded waits that wait HERE (the handle sends one request and reads one answer,
 * it never polls over the channel), the clock, and the recorder. Served by {@link ControlServer}
 * next to {@link dev.jfail.jmx.FailPointsMXBean}; a wait that runs out answers with the
 * {@link AssertionError} a local wait would throw.
 */
public final class JvmRequests {

    private final FailPointRegistry registry;

    public JvmRequests(FailPointRegistry registry) {
        this.registry = registry;
    }

    /** Arms a hold ({@code N*pause}, after {@code passing} others); returns the point's canonical name. */
    public String holdAt(String point, Long threads, Long passing) {
        return PointHold.arm(registry, point, Math.toIntExact(threads), Math.toIntExact(passing)).point();
    }

    /** Waits at most {@code millis} until {@code threads} threads are parked at {@code point}. */
    public void awaitHeld(String point, Long threads, Long millis) {
        Awaits.paused(registry, point, Math.toIntExact(threads), Duration.ofMillis(millis));
    }

    /** The names of the threads parked at {@code point}. */
    public List<String> heldThreads(String point) {
        return PointHold.heldAt(registry, point);
    }

    /** Sets {@code point} off and waits until none is parked there. */
    public void release(String point) {
        PointHold.release(registry, point);
    }

    /** Waits at most {@code millis} until some action of {@code name} fired {@code times} times. */
    public void awaitFired(String name, Long times, Long millis) {
        Awaits.fired(registry, name, times, Duration.ofMillis(millis));
    }

    /** This JVM's {@link System#nanoTime()}: the handle measures the clock offset with it at connect. */
    public Long clock() {
        return System.nanoTime();
    }

    /** Starts a new recorder run, as a test extension does before each test. */
    public void record() {
        Recorder.begin();
    }

    /**
     * What the recorder kept: {@code begin} (nanos), {@code overflowed} (strings) and {@code events},
     * each {@code [seq, nanos, thread, threadId, kind, point, site, action, detail]}.
     */
    public Map<String, Object> recorded() {
        Recorder.Record record = Recorder.snapshot();
        List<Object> events = new ArrayList<>(record.events().size());
        for (TraceEvent e : record.events()) {
            List<Object> row = new ArrayList<>(9);
            row.add(e.seq());
            row.add(e.nanos());
            row.add(e.thread());
            row.add(e.threadId());
            row.add(e.kind().name());
            row.add(e.point());
            row.add(e.site());
            row.add(e.action());
            row.add(e.describe());
            events.add(row);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("begin", record.beginNanos());
        out.put("overflowed", record.overflowed());
        out.put("events", events);
        return out;
    }

    /** This JVM's pid and main command, for a timeline's lane group. */
    public String describe() {
        return ProcessHandle.current().pid() + " " + System.getProperty("sun.java.command", "");
    }
}
