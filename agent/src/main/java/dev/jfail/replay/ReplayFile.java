package dev.jfail.replay;

import dev.jfail.core.SettingList;
import dev.jfail.trace.FailPointTrace;
import dev.jfail.trace.Recorder;
import dev.jfail.trace.TraceEvent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A failing run, written down so it can be played again in its recorded order: what was run (the
 * header: race or test, variant, parameters, failpoint settings, seed, outcome) and the recorded
 * order of armed point crossings with their decisions. A text file, one entry per line, fields
 * separated by tabs (tabs, newlines and backslashes in values escaped as {@code \t \n \\}):
 *
 * <pre>
 * jfail-replay	1
 * race	collapse                      (header: KEY, VALUE; a key may repeat, e.g. param, setting)
 * setting	vmob_scan_rename_unlock=20%return(1)
 * seed	1234
 * order_point	sched_lock_post_op            (kept leniently; a gate: order_gate	sched_lock_pre_op sched_lock_post_op)
 * cross	1	+0.412	pagedaemon	vmob_scan_rename_unlock	none	VmObjectCollapse.vmob_scan_rename_unlock(Kernel) < ...
 * cross	2	+0.530	fault	unlock_and_deallocate_relock	0:sleep(10)	VmFault.unlock_and_deallocate_relock(Kernel) < ...
 * </pre>
 *
 * A crossing line: its number (from 1), milliseconds since the run began, thread, point, the
 * decision ({@code none} or the fired terms as {@code INDEX:TERM}, 0-based, comma-separated), and
 * where (the site and its callers, {@link FailPointTrace#where}; may be empty).
 */
public record ReplayFile(List<Map.Entry<String, String>> header, List<Crossing> crossings) {

    /** The first line's tag; the number after it is the format's version. */
    public static final String MAGIC = "jfail-replay";
    public static final int VERSION = 1;
    /** The header key of each failpoint setting ({@code name=setting}) and of the seed. */
    public static final String SETTING = "setting";
    public static final String SEED = "seed";
    /** The header key of each ordering point (kept leniently in a replay, see {@link Turns}). */
    public static final String ORDER_POINT = "order_point";
    /** The header key of each gate: {@code GATE POINT}, the gate and the ordering point it opens (see {@link Turns}). */
    public static final String ORDER_GATE = "order_gate";

    public ReplayFile {
        header = List.copyOf(header);
        crossings = List.copyOf(crossings);
    }

    /**
     * One recorded crossing of an armed point; {@code where} is the site and its callers
     * ({@link FailPointTrace#where}), or empty when not known.
     */
    public record Crossing(int number, double millis, String thread, String point, String decision, String where) {

        public Crossing(int number, double millis, String thread, String point, String decision) {
            this(number, millis, thread, point, decision, "");
        }

        /** The indices of the terms that fired, from the decision. */
        public BitSet firedTerms() {
            BitSet fired = new BitSet();
            if (!decision.equals(FailPointTrace.NONE)) {
                for (String part : decision.split(",")) {
                    int colon = part.indexOf(':');
                    fired.set(Integer.parseInt(part.substring(0, colon < 0 ? part.length() : colon).trim()));
                }
            }
            return fired;
        }
    }

    /** The crossings of a record, numbered in their recorded order. */
    public static List<Crossing> crossingsOf(Recorder.Record record) {
        List<TraceEvent> xs = new ArrayList<>(record.crossings());
        xs.sort((a, b) -> Long.compare(a.seq(), b.seq()));
        List<Crossing> out = new ArrayList<>();
        for (TraceEvent e : xs) {
            out.add(new Crossing(out.size() + 1, (e.nanos() - record.beginNanos()) / 1e6, e.thread(), e.point(),
                    e.action(), e.site() == null ? "" : e.site()));
        }
        return out;
    }

    /** The first value of header {@code key}. */
    public Optional<String> first(String key) {
        return header.stream().filter(e -> e.getKey().equals(key)).map(Map.Entry::getValue).findFirst();
    }

    /** Every value of header {@code key}, in order. */
    public List<String> all(String key) {
        return header.stream().filter(e -> e.getKey().equals(key)).map(Map.Entry::getValue).toList();
    }

    /** The ordering points. */
    public Set<String> orderPoints() {
        return Set.copyOf(all(ORDER_POINT));
    }

    /** The gates: each gate point and the ordering point it opens. */
    public Map<String, String> orderGates() {
        Map<String, String> gates = new LinkedHashMap<>();
        for (String g : all(ORDER_GATE)) {
            String[] f = gate(g);
            gates.put(f[0], f[1]);
        }
        return gates;
    }

    /** An order_gate's value split into the gate and the point it opens. */
    private static String[] gate(String value) {
        String[] f = value.trim().split("\\s+");
        if (f.length != 2) {
            throw new IllegalArgumentException("an order_gate is 'GATE POINT', not '" + value + "'");
        }
        return f;
    }

    /** The header line of a gate. */
    public static Map.Entry<String, String> orderGate(String gate, String point) {
        return Map.entry(ORDER_GATE, gate + " " + point);
    }

    /** The settings as {@code name=setting;...}, the form every surface accepts. */
    public String settings() {
        return SettingList.concat(all(SETTING));
    }

    public void write(Path file) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append(MAGIC).append('\t').append(VERSION).append('\n');
        for (Map.Entry<String, String> e : header) {
            sb.append(escape(e.getKey())).append('\t').append(escape(e.getValue())).append('\n');
        }
        for (Crossing c : crossings) {
            sb.append("cross\t").append(c.number()).append('\t').append(String.format(java.util.Locale.ROOT, "+%.3f", c.millis()))
                    .append('\t').append(escape(c.thread())).append('\t').append(escape(c.point()))
                    .append('\t').append(escape(c.decision())).append('\t').append(escape(c.where())).append('\n');
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
    }

    /**
     * Reads a replay file.
     *
     * @throws IllegalArgumentException naming the file and line when it is not one
     */
    public static ReplayFile read(Path file) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no replay file " + file);
        }
        if (lines.isEmpty() || !lines.get(0).startsWith(MAGIC + "\t")) {
            throw new IllegalArgumentException(file + " is not a jfail replay file (it does not start with '" + MAGIC + "')");
        }
        String version = lines.get(0).substring(MAGIC.length() + 1).trim();
        if (!version.equals(Integer.toString(VERSION))) {
            throw new IllegalArgumentException(file + ": replay file version " + version + "; this jfail reads version " + VERSION);
        }
        List<Map.Entry<String, String>> header = new ArrayList<>();
        List<Crossing> crossings = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t", -1);
            try {
                if (f[0].equals("cross")) {
                    if (f.length != 6 && f.length != 7) {
                        throw new IllegalArgumentException("a crossing has 7 fields, not " + f.length);
                    }
                    int n = Integer.parseInt(f[1]);
                    if (n != crossings.size() + 1) {
                        throw new IllegalArgumentException("crossing #" + n + " where #" + (crossings.size() + 1) + " was due");
                    }
                    Crossing c = new Crossing(n, Double.parseDouble(f[2]), unescape(f[3]), unescape(f[4]), unescape(f[5]),
                            f.length > 6 ? unescape(f[6]) : "");
                    c.firedTerms(); // checks the decision
                    crossings.add(c);
                } else {
                    if (f.length != 2) {
                        throw new IllegalArgumentException("a header line is KEY<tab>VALUE");
                    }
                    Map.Entry<String, String> entry = Map.entry(unescape(f[0]), unescape(f[1]));
                    if (entry.getKey().equals(ORDER_GATE)) {
                        gate(entry.getValue());
                    }
                    header.add(entry);
                }
            } catch (NumberFormatException | IndexOutOfBoundsException e) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": malformed line: " + e.getMessage());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": " + e.getMessage());
            }
        }
        return new ReplayFile(header, crossings);
    }

    static String escape(String s) {
        if (s == null) {
            return "";
        }
        return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n");
    }

    static String unescape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                sb.append(n == 't' ? '\t' : n == 'n' ? '\n' : n);
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
