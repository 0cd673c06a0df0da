package dev.jfail.trace;

import dev.jfail.core.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A record as one self-contained HTML page (inline SVG, script and style; nothing is fetched): a
 * lane per thread, marks for evaluations and fires, bars for sleeps, pauses and the model's blocked
 * spans, the failure marked where it happened, details on hover or click, zoom. The header says what
 * was run (race, variant, settings, seed) and how it ended.
 *
 * <p>Stays small: beyond {@link #MAX_EVENTS} events, the earliest evaluations that fired nothing
 * and the model's earliest marks are left out (the page says how many).
 */
public final class TimelineHtml {

    /** Events drawn at most; a typical failing run has far fewer. */
    public static final int MAX_EVENTS = 6000;

    private static final String PLACEHOLDER = "/*DATA*/";

    /**
     * Between a lane group's name and a thread's in a lane name ({@code leader ▸ main}): the lanes
     * of one group (one process of a system) are drawn together, in the order the groups first appear.
     */
    public static final String GROUP_SEPARATOR = " \u25b8 ";

    private TimelineHtml() {
    }

    /**
     * What the header shows.
     *
     * @param title   e.g. {@code collapse/buggy, run 3}
     * @param fields  e.g. race, variant, settings, seed, in order
     * @param outcome e.g. {@code PANIC: panic: freeing mapped page 0xfffff80...}
     * @param failed  whether the run failed (the outcome is shown in red)
     */
    public record Header(String title, List<Map.Entry<String, String>> fields, String outcome, boolean failed) {
        public Header {
            fields = List.copyOf(fields);
        }
    }

    /** Writes the page to {@code file}, creating its directory. */
    public static void write(Header header, Recorder.Record record, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, render(header, record), StandardCharsets.UTF_8);
    }

    /** The page as a string. */
    public static String render(Header header, Recorder.Record record) {
        List<TraceEvent> events = thin(record.events());
        int left = record.events().size() - events.size();
        // time 0 is the first event: the page shows what happened, not the wait before it
        long t0 = record.events().isEmpty() ? record.beginNanos() : record.events().get(0).nanos();
        for (TraceEvent e : record.events()) {
            t0 = Math.min(t0, e.nanos());
        }
        long last = t0;
        Map<String, Integer> lanes = groupedLanes(events);
        Map<String, Integer> strings = new HashMap<>();
        List<String> table = new ArrayList<>();
        List<Object> rows = new ArrayList<>();
        for (TraceEvent e : events) {
            int lane = lanes.computeIfAbsent(e.thread() == null ? "?" : e.thread(), k -> lanes.size());
            last = Math.max(last, e.nanos());
            rows.add(List.of((e.nanos() - t0) / 1000, lane, code(e.kind()), intern(e.point(), strings, table),
                    intern(e.site(), strings, table), intern(e.action(), strings, table),
                    intern(e.describe(), strings, table), e.seq()));
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("title", header.title());
        List<Object> fields = new ArrayList<>();
        header.fields().forEach(f -> fields.add(List.of(f.getKey(), f.getValue() == null ? "" : f.getValue())));
        data.put("fields", fields);
        data.put("outcome", header.outcome());
        data.put("failed", header.failed());
        List<String> notes = new ArrayList<>();
        if (left > 0) {
            notes.add(left + " earlier evaluations that fired nothing are left out.");
        }
        if (!record.complete()) {
            notes.add("The recorder overflowed: " + String.join("; ", record.overflowed()) + ".");
        }
        if (events.isEmpty()) {
            notes.add("No armed failpoint was crossed.");
        }
        data.put("note", String.join(" ", notes));
        data.put("end", Math.max(1, (last - t0) / 1000 + 1));
        data.put("lanes", new ArrayList<>(lanes.keySet()));
        List<Object> groups = groups(lanes);
        if (groups.size() > 1) {
            data.put("groups", groups);
        }
        data.put("strings", table);
        data.put("events", rows);
        // inside <script>: no "</" may close the element early, and U+2028/9 are fine in JSON but not in old JS
        String json = Json.write(data).replace("</", "<\\/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029");
        return template().replace(PLACEHOLDER, json);
    }

    /** Each thread's lane, in order of first appearance, the lanes of one group together. */
    private static Map<String, Integer> groupedLanes(List<TraceEvent> events) {
        Map<String, List<String>> byGroup = new LinkedHashMap<>();
        for (TraceEvent e : events) {
            String lane = e.thread() == null ? "?" : e.thread();
            List<String> group = byGroup.computeIfAbsent(groupOf(lane), k -> new ArrayList<>());
            if (!group.contains(lane)) {
                group.add(lane);
            }
        }
        Map<String, Integer> lanes = new LinkedHashMap<>();
        byGroup.values().forEach(group -> group.forEach(lane -> lanes.put(lane, lanes.size())));
        return lanes;
    }

    private static String groupOf(String lane) {
        int at = lane.indexOf(GROUP_SEPARATOR);
        return at < 0 ? "" : lane.substring(0, at);
    }

    /** {@code [group, first lane, lane count]} for each group, in order. */
    private static List<Object> groups(Map<String, Integer> lanes) {
        List<Object> groups = new ArrayList<>();
        String current = null;
        int first = 0;
        int i = 0;
        for (String lane : lanes.keySet()) {
            String group = groupOf(lane);
            if (!group.equals(current)) {
                if (current != null) {
                    groups.add(List.of(current, first, i - first));
                }
                current = group;
                first = i;
            }
            i++;
        }
        if (current != null) {
            groups.add(List.of(current, first, i - first));
        }
        return groups;
    }

    /** At most {@link #MAX_EVENTS}: drops the earliest events that only say a point was crossed or a model mark. */
    static List<TraceEvent> thin(List<TraceEvent> events) {
        int excess = events.size() - MAX_EVENTS;
        if (excess <= 0) {
            return events;
        }
        List<TraceEvent> out = new ArrayList<>(MAX_EVENTS);
        for (TraceEvent e : events) {
            boolean minor = (e.kind() == TraceEvent.Kind.EVALUATED && FailPointTrace.NONE.equals(e.action()))
                    || e.kind() == TraceEvent.Kind.MARK;
            if (minor && excess > 0) {
                excess--;
                continue;
            }
            out.add(e);
        }
        return out.size() <= MAX_EVENTS ? out : out.subList(out.size() - MAX_EVENTS, out.size());
    }

    private static String code(TraceEvent.Kind kind) {
        return switch (kind) {
            case EVALUATED -> "e";
            case FIRED -> "f";
            case SLEEP_BEGIN -> "s";
            case SLEEP_END -> "S";
            case PAUSE_BEGIN -> "p";
            case PAUSE_END -> "P";
            case PANIC -> "x";
            case MARK -> "m";
            case BLOCK_BEGIN -> "b";
            case BLOCK_END -> "B";
            case FAILURE -> "F";
        };
    }

    private static int intern(String s, Map<String, Integer> index, List<String> table) {
        if (s == null) {
            return -1;
        }
        return index.computeIfAbsent(s, k -> {
            table.add(k);
            return table.size() - 1;
        });
    }

    private static String template() {
        try (InputStream in = TimelineHtml.class.getResourceAsStream("timeline.html")) {
            if (in == null) {
                throw new IllegalStateException("timeline.html is missing from the jfail agent jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
