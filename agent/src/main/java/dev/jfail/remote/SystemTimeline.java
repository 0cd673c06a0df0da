package dev.jfail.remote;

import dev.jfail.trace.Recorder;
import dev.jfail.trace.TimelineHtml;
import dev.jfail.trace.TraceEvent;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One timeline for a system of JVMs: each JVM's recorder fetched over its channel, its times moved
 * onto this JVM's clock (the offset its handle measured at connect), its threads' lanes grouped
 * under its name ({@code leader \u25b8 main}), merged with this JVM's own record.
 */
public final class SystemTimeline {

    /** One JVM's record, on this JVM's clock, its threads named {@code NAME \u25b8 THREAD}. */
    public record Part(String name, long pid, Recorder.Record record) {
    }

    /** The lane of a JVM's own marks (where its record begins). */
    static final String PROCESS_LANE = "(process)";

    private SystemTimeline() {
    }

    /** The records of {@code jvms} that can still be fetched; a JVM gone already is left out (its part says so). */
    static List<Part> fetch(List<RemoteJvm> jvms) {
        List<Part> parts = new ArrayList<>();
        for (RemoteJvm jvm : jvms) {
            try {
                parts.add(part(jvm.name(), jvm.pid(), jvm.clockOffset(), jvm.recorded()));
            } catch (RuntimeException | AssertionError e) {
                parts.add(new Part(jvm.name(), jvm.pid(), new Recorder.Record(0, List.of(),
                        List.of(jvm.name() + " (its record could not be fetched: " + e.getMessage() + ")"))));
            }
        }
        return parts;
    }

    /** A record as {@link dev.jfail.control.JvmRequests#recorded()} sent it, moved onto this JVM's clock. */
    @SuppressWarnings("unchecked")
    static Part part(String name, long pid, long offset, Map<String, Object> sent) {
        List<TraceEvent> events = new ArrayList<>();
        List<Object> rows = (List<Object>) sent.get("events");
        // every JVM has its lane group, also one that crossed no armed point: a mark at its first event, or when fetched
        long markAt = rows.isEmpty() ? System.nanoTime() : (Long) ((List<Object>) rows.get(0)).get(1) - offset;
        events.add(new TraceEvent(TraceEvent.NO_SEQ, markAt, lane(name, PROCESS_LANE), 0, TraceEvent.Kind.MARK, name, null,
                rows.isEmpty() ? "no armed point crossed" : "first event", "pid " + pid));
        for (Object o : rows) {
            List<Object> row = (List<Object>) o;
            events.add(new TraceEvent((Long) row.get(0), (Long) row.get(1) - offset, lane(name, (String) row.get(2)),
                    (Long) row.get(3), TraceEvent.Kind.valueOf((String) row.get(4)), (String) row.get(5),
                    (String) row.get(6), (String) row.get(7), (String) row.get(8)));
        }
        List<String> overflowed = new ArrayList<>();
        ((List<Object>) sent.get("overflowed")).forEach(s -> overflowed.add(name + ": " + s));
        return new Part(name, pid, new Recorder.Record((Long) sent.get("begin") - offset, List.copyOf(events), overflowed));
    }

    /** {@code NAME \u25b8 THREAD}: the lane of a thread of the JVM {@code name}. */
    public static String lane(String name, String thread) {
        return name + TimelineHtml.GROUP_SEPARATOR + (thread == null ? "?" : thread);
    }

    /** This JVM's record (its lanes under {@code localName}) and the parts, as one record ordered by time. */
    public static Recorder.Record merge(String localName, Recorder.Record local, List<Part> parts) {
        List<TraceEvent> events = new ArrayList<>();
        for (TraceEvent e : local.events()) {
            events.add(new TraceEvent(e.seq(), e.nanos(), lane(localName, e.thread()), e.threadId(), e.kind(), e.point(),
                    e.site(), e.action(), e.describe()));
        }
        List<String> overflowed = new ArrayList<>(local.overflowed());
        long begin = local.beginNanos();
        for (Part p : parts) {
            events.addAll(p.record().events());
            overflowed.addAll(p.record().overflowed());
            if (p.record().beginNanos() != 0) {
                begin = Math.min(begin, p.record().beginNanos());
            }
        }
        events.sort(java.util.Comparator.comparingLong(TraceEvent::nanos));
        return new Recorder.Record(begin, List.copyOf(events), List.copyOf(overflowed));
    }

    /**
     * The records of the JVMs the current test reached: those kept when it ended (the extensions close
     * its handles then), else those of the handles open now. Empty when it reached none.
     */
    public static List<Part> ofCurrentTest() {
        List<Part> kept = RemoteJvms.kept();
        return !kept.isEmpty() ? kept : fetch(RemoteJvms.openNow());
    }

    /** Writes the merged page of {@code parts} and this JVM's {@code local} record to {@code file}. */
    public static void write(TimelineHtml.Header header, Recorder.Record local, List<Part> parts, Path file) throws IOException {
        TimelineHtml.write(header, merge("test", local, parts), file);
    }
}
