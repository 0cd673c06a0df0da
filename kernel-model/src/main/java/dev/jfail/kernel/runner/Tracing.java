package dev.jfail.kernel.runner;

import dev.jfail.FailPoints;
import dev.jfail.kernel.kern.Ktr;
import dev.jfail.kernel.race.Race;
import dev.jfail.kernel.race.RaceInfo;
import dev.jfail.kernel.race.RunContext;
import dev.jfail.kernel.race.RunResult;
import dev.jfail.trace.Recorder;
import dev.jfail.replay.ReplayFile;
import dev.jfail.trace.TimelineHtml;
import dev.jfail.trace.TraceEvent;
import dev.jfail.trace.TraceEvent.Kind;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The runner's side of {@code --timeline DIR} and {@code --record DIR}: every run is recorded (the
 * failpoints' events by jfail's recorder, the kernel's own by its KTR buffer, merged by time), and
 * each failure printed in full gets its timeline page ({@code DIR/<race>-<variant>-run<N>.html})
 * and its replay file ({@code DIR/<race>-<variant>-run<N>.replay}).
 */
final class Tracing {

    /** Events kept per thread and run: enough for every crossing of a race run, so the record is complete. */
    static final int CAPACITY = 1 << 18;
    /** What the KTR buffer traces during a recorded run. */
    static final int KTR_MASK = Ktr.KTR_ALL;
    /**
     * Ordering points armed (with a term that does nothing) during recorded runs and replays, so
     * that their crossings join the recorded order: every step of the model under sched_lock (in
     * the order threads got it), every console line, md's read of rdev->mddev in super_written (a
     * plain field, under no lock).
     */
    static final Set<String> ORDER_POINTS = Set.of("sched_lock_post_op", "printf_pre_op", "super_written_pre_mddev");
    /**
     * Gates armed during replays: a thread about to take sched_lock waits there for the turn in
     * which the record has it get the lock (see {@link dev.jfail.replay.Turns}).
     */
    static final Map<String, String> ORDER_GATES = Map.of("sched_lock_pre_op", "sched_lock_post_op");
    /** What a gate or an ordering point is armed with: a term that does nothing. */
    static final String DO_NOTHING = "delay(0)";
    /** The model's points that are there to order runs, not for a race (an explorer leaves them alone). */
    static final Set<String> ORDERING = Stream.concat(ORDER_POINTS.stream(), ORDER_GATES.keySet().stream())
            .collect(Collectors.toUnmodifiableSet());

    private final Path timelineDir;
    private final Path recordDir;
    private final List<Map<String, Object>> written = new ArrayList<>();

    Tracing(Path timelineDir, Path recordDir) {
        this.timelineDir = timelineDir;
        this.recordDir = recordDir;
    }

    /** One recorded run: the merged record, its fatal message, its ordering points. */
    record Recorded(Recorder.Record record, Optional<String> fatal, List<String> orderPoints) {
    }

    /**
     * The ordering points of a run of {@code race}: sched_lock, and the race's own points that are
     * off in this run (armed to do nothing, their crossings order the steps the race is about).
     */
    static List<String> orderPoints(Race race) {
        List<String> points = new ArrayList<>(new TreeSet<>(ORDER_POINTS));
        for (String p : race.settings().failpoints().keySet()) {
            if (FailPoints.get(p).equals("off")) {
                points.add(p);
            }
        }
        return points;
    }

    /** Arms the gates of replay file {@code rf} (to do nothing: a replay holds threads there). */
    static void armGates(ReplayFile rf) {
        rf.orderGates().keySet().forEach(gate -> Failpoints.arm(gate, DO_NOTHING));
    }

    /** Runs {@code race} once with the recorder and KTR on; the run's record goes to {@code sink}. */
    static RunResult recordedRun(Race race, String variant, RunContext ctx, java.util.function.Consumer<Recorded> sink) {
        Ktr.clear();
        Ktr.setMask(KTR_MASK);
        List<String> order = orderPoints(race);
        order.forEach(p -> Failpoints.arm(p, DO_NOTHING));
        Recorder.begin(CAPACITY);
        RunResult r;
        try {
            r = race.runOnce(variant, ctx);
        } finally {
            Recorder.end();
            order.forEach(FailPoints::off);
            Ktr.setMask(0);
        }
        List<Ktr.Entry> ktr = Ktr.dump();
        sink.accept(new Recorded(Recorder.snapshot().merge(events(ktr)), fatal(ktr), List.copyOf(order)));
        return r;
    }

    /** {@code race} with each run recorded, the last run's record kept for {@link #write}. */
    Race wrap(Race race) {
        return new Race() {
            @Override
            public RaceInfo info() {
                return race.info();
            }

            @Override
            public RunResult runOnce(String variant, RunContext ctx) {
                return recordedRun(race, variant, ctx, r -> last = r);
            }
        };
    }

    private volatile Recorded last;

    /** Writes the files of a failure just printed in full (the last run) and prints their paths. */
    void write(PrintWriter out, Batch.Spec spec, Batch.Failure f, boolean json) {
        Recorded rec = last;
        if (rec == null) {
            return;
        }
        String base = spec.race().id() + "-" + spec.variant().name() + "-run" + f.run();
        Map<String, Object> files = new LinkedHashMap<>();
        files.put("race", spec.race().id());
        files.put("variant", spec.variant().name());
        files.put("run", f.run());
        try {
            if (timelineDir != null) {
                Path page = timelineDir.resolve(base + ".html");
                TimelineHtml.write(header(spec, f, rec), withoutOrderPoints(rec), page);
                files.put("timeline", page.toString());
                if (!json) {
                    out.println("timeline: " + page);
                }
            }
            if (recordDir != null) {
                Path file = recordDir.resolve(base + ".replay");
                replayFile(spec, f, rec).write(file);
                files.put("replay", file.toString());
                if (!json) {
                    out.println("replay:   " + file + "   (jfail-races replay " + file + ")");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the files of " + base + ": " + e.getMessage(), e);
        }
        if (!rec.record().complete() && !json) {
            out.println("warning: the record of this run is incomplete: " + String.join("; ", rec.record().overflowed()));
        }
        out.flush();
        written.add(files);
    }

    /**
     * The record as a page shows it: without sched_lock's crossings (the kernel's own marks say what
     * happened under it), and the race's ordering points as crossings only (their do-nothing fires left out).
     */
    static Recorder.Record withoutOrderPoints(Recorded rec) {
        Recorder.Record r = rec.record();
        return new Recorder.Record(r.beginNanos(), r.events().stream()
                .filter(e -> e.seq() == TraceEvent.NO_SEQ || !rec.orderPoints().contains(e.point())
                        || (!ORDER_POINTS.contains(e.point()) && e.kind() == Kind.EVALUATED))
                .toList(), r.overflowed());
    }

    /** What was written, for the JSON output. */
    List<Map<String, Object>> written() {
        return written;
    }

    private static TimelineHtml.Header header(Batch.Spec spec, Batch.Failure f, Recorded rec) {
        List<Map.Entry<String, String>> fields = new ArrayList<>();
        fields.add(Map.entry("race", spec.race().id()));
        fields.add(Map.entry("variant", spec.variant().name()));
        spec.ctx().params().forEach((k, v) -> fields.add(Map.entry(k, v)));
        fields.add(Map.entry("failpoints", spec.failpoints().settings().isEmpty() ? "none" : spec.failpoints().joined()));
        fields.add(Map.entry("seed", Long.toString(f.seed())));
        fields.add(Map.entry("run", f.run() + " of " + spec.iterations()));
        String title = spec.race().id() + "/" + spec.variant().name() + ", run " + f.run() + " \u2014 " + spec.race().title();
        String outcome = f.result().kind() + ": " + rec.fatal().orElseGet(() -> f.result().report().lines()
                .filter(l -> !l.isBlank()).findFirst().orElse(""));
        return new TimelineHtml.Header(title, fields, outcome, true);
    }

    static ReplayFile replayFile(Batch.Spec spec, Batch.Failure f, Recorded rec) {
        List<Map.Entry<String, String>> h = new ArrayList<>();
        h.add(Map.entry("race", spec.race().id()));
        h.add(Map.entry("variant", spec.variant().name()));
        spec.ctx().params().forEach((k, v) -> h.add(Map.entry("param", k + "=" + v)));
        spec.failpoints().settings().forEach((k, v) -> h.add(Map.entry(ReplayFile.SETTING, k + "=" + v)));
        h.add(Map.entry(ReplayFile.SEED, Long.toString(f.seed())));
        rec.orderPoints().forEach(p -> h.add(Map.entry(ReplayFile.ORDER_POINT, p)));
        ORDER_GATES.forEach((gate, point) -> h.add(ReplayFile.orderGate(gate, point)));
        h.add(Map.entry("time_limit_ms", Long.toString(spec.ctx().timeLimit().toMillis())));
        h.add(Map.entry("symptom", symptom(f.result(), rec.fatal())));
        if (!rec.record().complete()) {
            h.add(Map.entry("incomplete", String.join("; ", rec.record().overflowed())));
        }
        return new ReplayFile(h, ReplayFile.crossingsOf(rec.record()));
    }

    private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]+");

    /**
     * How a run ended, comparable across runs: the kind and the kernel's one-line message (the
     * panic string...) or the report's first line, addresses left out (they differ per boot).
     */
    static String symptom(RunResult r, Optional<String> fatal) {
        if (!r.failed()) {
            return r.kind().name();
        }
        String line = fatal.orElseGet(() -> r.report().lines().filter(l -> !l.isBlank()).findFirst().orElse(""));
        return r.kind() + ": " + ADDRESS.matcher(line.strip()).replaceAll("0x\u2026");
    }

    /** The kernel's KTR entries as events of the record: locks as marks, sleeps as bars, the fatal as the failure. */
    static List<TraceEvent> events(List<Ktr.Entry> ktr) {
        List<TraceEvent> out = new ArrayList<>();
        for (Ktr.Entry e : ktr) {
            if (e.what().equals("boot")) {
                continue; // the runner's thread boots the kernel: no lane for that
            }
            Kind kind;
            String action = e.what();
            switch (e.what()) {
                case "sleep" -> {
                    kind = Kind.BLOCK_BEGIN;
                    action = "sleep on \"" + e.subject() + "\"";
                }
                case "wakeup" -> {
                    kind = Kind.BLOCK_END;
                    action = "wakeup from \"" + e.subject() + "\"";
                }
                case "panic", "oops", "deadlock", "timeout" -> {
                    kind = Kind.FAILURE;
                    action = e.subject();
                }
                default -> kind = Kind.MARK;
            }
            String subject = kind == Kind.FAILURE ? e.what() : e.subject();
            out.add(new TraceEvent(TraceEvent.NO_SEQ, e.nanos(), e.thread(), 0, kind, subject, null, action,
                    e.detail()));
        }
        return out;
    }

    private static Optional<String> fatal(List<Ktr.Entry> ktr) {
        return ktr.stream().filter(e -> (e.ktrClass() & Ktr.KTR_GEN) != 0 && !e.what().equals("boot"))
                .map(Ktr.Entry::subject).findFirst();
    }
}
