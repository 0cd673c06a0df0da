package dev.jfail.spi;
import dev.jfail.remote.SystemTimeline;
import dev.jfail.replay.ReplayFile;
import dev.jfail.replay.Turns;
import dev.jfail.trace.Recorder;
import dev.jfail.trace.TimelineHtml;
import dev.jfail.trace.TraceEvent;

import dev.jfail.core.FailPointRegistry;
import dev.jfail.core.SettingList;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the Spock and JUnit extensions do with the trace, in one place: record each test that uses
 * jfail; when one fails after touching a failpoint, write its timeline and replay file into
 * {@code target/jfail-reports/} ({@code -Djfail.reports.dir=DIR}) and say so in the failure; and
 * replay a recorded failure in its recorded order for a test annotated to replay it.
 */
public final class TestReports {

    /** Where the files go unless {@code -Djfail.reports.dir} says otherwise. */
    public static final String DEFAULT_DIR = "target/jfail-reports";
    /** Events kept per thread of a test. */
    static final int CAPACITY = 1 << 16;

    private TestReports() {
    }

    /** Before a test that uses jfail: its failpoint events are recorded from now. */
    public static void begin() {
        Recorder.begin(CAPACITY);
    }

    /** After it, whatever happened: recording stops (what it kept stays readable until the next begin). */
    public static void end() {
        Recorder.end();
    }

    static Path dir() {
        return Path.of(System.getProperty("jfail.reports.dir", DEFAULT_DIR));
    }

    /**
     * A test failed. If it crossed an armed failpoint, writes {@code <test>.html} (its timeline) and
     * {@code <test>.replay} and returns the line that names them and how to replay it with
     * {@code replayAnnotation}; else null.
     *
     * @param test             the test's name, which names the files (characters unsafe in a file name replaced)
     * @param failure          what the test threw, shown at the end of the timeline; null when unknown
     * @param replayAnnotation the framework's replay annotation, e.g. {@code @dev.jfail.junit.Replay}
     * @return null, or the line to print and attach to the failure
     */
    public static String failed(String test, Throwable failure, String replayAnnotation) {
        Recorder.Record record = Recorder.snapshot();
        String base = test.replaceAll("[^A-Za-z0-9._-]+", "_").replaceAll("^_+|_+$", "");
        Path page = dir().resolve(base + ".html");
        List<SystemTimeline.Part> others = SystemTimeline.ofCurrentTest();
        if (!others.isEmpty()) {
            return systemFailed(test, failure, record, others, page);
        }
        if (!record.touchedFailPoints()) {
            return null;
        }
        Path replay = dir().resolve(base + ".replay");
        String settings = settingsOf(record);
        long seed = FailPointRegistry.global().seed();
        String outcome = outcome(failure);
        Recorder.Record shown = failure == null ? record : record.merge(List.of(failureEvent(failure, outcome)));
        List<Map.Entry<String, String>> header = new ArrayList<>();
        header.add(Map.entry("test", test));
        header.add(Map.entry("failpoints", settings.isEmpty() ? "none" : settings));
        header.add(Map.entry("seed", Long.toString(seed)));
        List<Map.Entry<String, String>> file = new ArrayList<>();
        file.add(Map.entry("test", test));
        SettingList.parse(settings).forEach((k, v) -> file.add(Map.entry(ReplayFile.SETTING, k + "=" + v)));
        file.add(Map.entry(ReplayFile.SEED, Long.toString(seed)));
        file.add(Map.entry("symptom", outcome));
        try {
            TimelineHtml.write(new TimelineHtml.Header("test " + test, header, outcome, true), shown, page);
            new ReplayFile(file, ReplayFile.crossingsOf(record)).write(replay);
        } catch (IOException e) {
            return "jfail: could not write the timeline of this failure to " + dir() + ": " + e.getMessage();
        }
        return "jfail: timeline of this failure: " + page.toAbsolutePath() + "; replay file: " + replay.toAbsolutePath()
                + "; to replay it in its recorded order: " + replayAnnotation + "(\"" + replay + "\")";
    }

    /** A test that reached other JVMs failed: one timeline of them all, a lane group per JVM (no replay file: a replay is one JVM's). */
    private static String systemFailed(String test, Throwable failure, Recorder.Record local, List<SystemTimeline.Part> others, Path page) {
        String outcome = outcome(failure);
        List<Map.Entry<String, String>> header = new ArrayList<>();
        header.add(Map.entry("test", test));
        others.forEach(p -> header.add(Map.entry(p.name(), "pid " + p.pid() + ", failpoints "
                + (settingsOf(p.record()).isEmpty() ? "none" : settingsOf(p.record())))));
        Recorder.Record shown = failure == null ? local : local.merge(List.of(failureEvent(failure, outcome)));
        try {
            SystemTimeline.write(new TimelineHtml.Header("test " + test + " (" + (others.size() + 1) + " JVMs)", header, outcome, true),
                    shown, others, page);
        } catch (IOException e) {
            return "jfail: could not write the timeline of this failure to " + dir() + ": " + e.getMessage();
        }
        return "jfail: timeline of this failure, with the lanes of " + others.size() + " other JVM(s): " + page.toAbsolutePath();
    }

    private static String outcome(Throwable failure) {
        return failure == null ? "failed" : failure.getClass().getName()
                + (failure.getMessage() == null ? "" : ": " + failure.getMessage().lines().findFirst().orElse(""));
    }

    private static TraceEvent failureEvent(Throwable failure, String outcome) {
        return new TraceEvent(TraceEvent.NO_SEQ, System.nanoTime(), Thread.currentThread().getName(),
                TraceEvent.threadIdOf(Thread.currentThread()), TraceEvent.Kind.FAILURE, "test", null, outcome, stackOf(failure));
    }

    /** The settings the record's crossings ran under: each point's setting as it was stored, at its first crossing. */
    static String settingsOf(Recorder.Record record) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (TraceEvent e : record.crossings()) {
            if (e.detail() != null) {
                settings.putIfAbsent(e.point(), e.detail());
            }
        }
        return SettingList.join(settings);
    }

    private static String stackOf(Throwable failure) {
        StringBuilder sb = new StringBuilder(failure.toString());
        StackTraceElement[] stack = failure.getStackTrace();
        for (int i = 0; i < Math.min(stack.length, 12); i++) {
            sb.append("\n  at ").append(stack[i]);
        }
        return sb.toString();
    }

    /**
     * Before a test annotated to replay {@code file}: sets the file's settings and seed and enforces
     * its recorded order until {@link #finishReplay}.
     *
     * @param file the replay file, as the annotation names it
     * @return the replay, to give {@link #finishReplay} after the test
     * @throws IllegalArgumentException naming the file when it cannot be read
     */
    public static Replay replay(String file) {
        ReplayFile rf;
        try {
            rf = ReplayFile.read(Path.of(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read replay file " + file + ": " + e.getMessage(), e);
        }
        FailPointRegistry registry = FailPointRegistry.global();
        String settings = rf.settings();
        if (!settings.isEmpty()) {
            registry.setAll(settings);
        }
        rf.first(ReplayFile.SEED).ifPresent(s -> registry.seed(Long.parseLong(s)));
        return new Replay(Turns.start(rf, Turns.DEFAULT_PATIENCE));
    }

    /**
     * Ends a replay: null when the recorded order was kept, else the line that says where it was given up.
     *
     * @param replay what {@link #replay} returned before the test
     * @return null, or the line to print on stderr
     */
    public static String finishReplay(Replay replay) {
        Turns.Result r = replay.turns.finish();
        return r.followed() ? null : "jfail: the replay gave up the recorded order: " + r.stopped();
    }

    /** A replay that runs until {@link #finishReplay}. */
    public static final class Replay {
        private final Turns turns;

        private Replay(Turns turns) {
            this.turns = turns;
        }
    }
}
