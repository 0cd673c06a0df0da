package dev.jfail.trace;

import dev.jfail.core.Crossings;
import dev.jfail.core.Term;
import dev.jfail.trace.TraceEvent.Kind;

import java.util.List;

/**
 * What the evaluation of an armed failpoint reports, as it happens: to the {@link Recorder} while
 * it records, to JFR while a recording runs. The core calls these, through {@link Crossings}, only on the armed path (an off
 * point never gets here), and only after {@link #listening()} said someone listens: with neither
 * recording, an armed point pays two volatile reads for the trace.
 */
public final class FailPointTrace {

    /** The decision of a crossing where nothing fired. */
    public static final String NONE = "none";

    private FailPointTrace() {
    }

    /** The core's armed points report to the trace from now on (the agent does this at start; idempotent). */
    public static void install() {
        Crossings.observeWith(OBSERVER);
    }

    /** The trace as the core sees it. */
    private static final Crossings.Observer OBSERVER = new Crossings.Observer() {
        @Override
        public boolean listening() {
            return FailPointTrace.listening();
        }

        @Override
        public void evaluated(String point, String site, String setting, Term[] terms, int[] rolls, boolean[] fires) {
            FailPointTrace.evaluated(point, site, setting, terms, rolls, fires);
        }

        @Override
        public void fired(String point, String site, String action, long argument, String returnValue) {
            FailPointTrace.fired(point, site, action, argument, returnValue);
        }

        @Override
        public void panicked(String point, String site, String message) {
            FailPointTrace.panicked(point, site, message);
        }

        @Override
        public Object sleepBegin(String point, String site, String action) {
            return FailPointTrace.sleepBegin(point, site, action);
        }

        @Override
        public void sleepEnd(Object begun, String point, String site, String action) {
            FailPointTrace.sleepEnd(begun, point, site, action);
        }

        @Override
        public Object pauseBegin(String point, String site) {
            return FailPointTrace.pauseBegin(point, site);
        }

        @Override
        public void pauseEnd(Object begun, String point, String site) {
            FailPointTrace.pauseEnd(begun, point, site);
        }
    };

    /** Whether the recorder records or a JFR recording runs: whether the events are wanted at all. */
    public static boolean listening() {
        return Recorder.on || JfrEvents.Watch.running;
    }

    /**
     * An armed point was crossed and decided: {@code rolls} holds each term's roll in millionths
     * (-1: not rolled), or is null when nothing was rolled; {@code fires} marks the terms that fired
     * (null: none). Returns the crossing's sequence number.
     */
    public static long evaluated(String point, String site, String setting, Term[] terms, int[] rolls, boolean[] fires) {
        String decision = decision(terms, fires);
        long seq = Recorder.nextSeq();
        if (Recorder.on) {
            Thread t = Thread.currentThread();
            Recorder.add(new TraceEvent(seq, System.nanoTime(), t.getName(), TraceEvent.threadIdOf(t), Kind.EVALUATED,
                    point, where(site), decision, setting, rolls));
        }
        if (JfrEvents.Watch.running) {
            JfrEvents.evaluated(point, site, setting, rolls, decision, seq);
        }
        return seq;
    }

    /** {@link #NONE}, or the fired terms as {@code INDEX:TERM,...} (what a replay file keeps). */
    static String decision(Term[] terms, boolean[] fires) {
        if (fires == null) {
            return NONE;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < fires.length; i++) {
            if (fires[i]) {
                sb.append(sb.length() == 0 ? "" : ",").append(i).append(':').append(terms[i]);
            }
        }
        return sb.length() == 0 ? NONE : sb.toString();
    }

    /** The rolls as text: {@code rolled 61.2345% for term 0} (a term fires when its roll is below its percentage). */
    public static String describeRolls(int[] rolls) {
        if (rolls == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < rolls.length; i++) {
            if (rolls[i] >= 0) {
                sb.append(sb.length() == 0 ? "rolled " : ", ").append(String.format(java.util.Locale.ROOT, "%.4f%%",
                        rolls[i] / 10_000.0)).append(" for term ").append(i);
            }
        }
        return sb.toString();
    }

    /**
     * A term fired: its action ({@code return}, {@code sleep}, ...) and argument; {@code returnValue}
     * is the value {@code return(n)} makes the method return, else null.
     */
    public static void fired(String point, String site, String action, long argument, String returnValue) {
        if (!listening()) {
            return;
        }
        long seq = Recorder.nextSeq();
        String term = argument == 0 ? action : action + "(" + argument + ")";
        if (Recorder.on) {
            record(seq, Kind.FIRED, point, site, term, Recorder.stackOf(point));
        }
        if (JfrEvents.Watch.running) {
            JfrEvents.fired(point, site, term, argument, returnValue, seq);
        }
    }

    /** {@code panic} fired with {@code message}. */
    public static void panicked(String point, String site, String message) {
        if (!listening()) {
            return;
        }
        long seq = Recorder.nextSeq();
        if (Recorder.on) {
            record(seq, Kind.PANIC, point, site, "panic", message);
        }
        if (JfrEvents.Watch.running) {
            JfrEvents.panicked(point, site, message, seq);
        }
    }

    /** A {@code sleep} or {@code delay} ({@code action}, e.g. {@code sleep(10)}) begins; pass the result to {@link #sleepEnd}. */
    public static Object sleepBegin(String point, String site, String action) {
        if (!listening()) {
            return null;
        }
        long seq = Recorder.nextSeq();
        if (Recorder.on) {
            record(seq, Kind.SLEEP_BEGIN, point, site, action, null);
        }
        return JfrEvents.Watch.running ? JfrEvents.sleepBegin(point, site, action, seq) : null;
    }

    public static void sleepEnd(Object begun, String point, String site, String action) {
        if (!listening()) {
            return;
        }
        long seq = Recorder.nextSeq();
        if (Recorder.on) {
            record(seq, Kind.SLEEP_END, point, site, action, null);
        }
        if (JfrEvents.Watch.running) {
            JfrEvents.end(begun);
        }
    }

    /** A {@code pause} begins; pass the result to {@link #pauseEnd} when the thread is released. */
    public static Object pauseBegin(String point, String site) {
        if (!listening()) {
            return null;
        }
        long seq = Recorder.nextSeq();
        if (Recorder.on) {
            record(seq, Kind.PAUSE_BEGIN, point, site, "pause", null);
        }
        return JfrEvents.Watch.running ? JfrEvents.pauseBegin(point, site, seq) : null;
    }

    public static void pauseEnd(Object begun, String point, String site) {
        if (!listening()) {
            return;
        }
        long seq = Recorder.nextSeq();
        if (Recorder.on) {
            record(seq, Kind.PAUSE_END, point, site, "pause", "released");
        }
        if (JfrEvents.Watch.running) {
            JfrEvents.end(begun);
        }
    }

    private static final int STACK_DEPTH = 12;
    private static final StackWalker WALKER = StackWalker.getInstance();

    /** Where the fire happened: the carrying method and its callers, without jfail's own frames. */
    static String stack(String point) {
        List<StackWalker.StackFrame> frames = WALKER.walk(f -> f.limit(STACK_DEPTH + 40).toList());
        int from = 0;
        for (int i = 0; i < frames.size(); i++) {
            if (isEvaluation(frames.get(i).getClassName())) {
                from = i + 1; // the frames above are the evaluation's own
            }
        }
        StringBuilder sb = new StringBuilder("stack at the first fire of ").append(point).append(" in this thread:");
        frames.subList(from, Math.min(frames.size(), from + STACK_DEPTH))
                .forEach(f -> sb.append("\n  at ").append(f.toStackTraceElement()));
        return sb.toString();
    }

    /** Callers named after the site in {@link #where}: enough to tell one call of a point from another. */
    private static final int WHERE_DEPTH = 3;

    /**
     * Where a crossing happened: {@code site}, then the callers of the instrumented method, e.g.
     * {@code Kernel.sched_lock_pre_op() < Kernel.sched_lock:441 < SleepLock.xlock:66 < VmObject.VM_OBJECT_WLOCK:86}.
     * Recorded runs keep it with each crossing, and replays match it, so that crossings of one point
     * from different places are told apart.
     */
    public static String where(String site) {
        List<StackWalker.StackFrame> frames = WALKER.walk(f -> f.limit(WHERE_DEPTH + 40).toList());
        int from = 0;
        for (int i = 0; i < frames.size(); i++) {
            if (isEvaluation(frames.get(i).getClassName())) {
                from = i + 2; // after the evaluation's own frames and the instrumented method
            }
        }
        StringBuilder sb = new StringBuilder(site == null ? "?" : site);
        for (StackWalker.StackFrame f : frames.subList(Math.min(from, frames.size()), Math.min(frames.size(), from + WHERE_DEPTH))) {
            String cls = f.getClassName();
            sb.append(" < ").append(cls.substring(cls.lastIndexOf('.') + 1)).append('.').append(f.getMethodName())
                    .append(':').append(f.getLineNumber());
        }
        return sb.toString();
    }

    private static boolean isEvaluation(String className) {
        return className.equals("dev.jfail.core.FailPointState") || className.equals("dev.jfail.bootstrap.SlowPath");
    }

    private static void record(long seq, Kind kind, String point, String site, String action, String detail) {
        Thread t = Thread.currentThread();
        Recorder.add(new TraceEvent(seq, System.nanoTime(), t.getName(), TraceEvent.threadIdOf(t), kind, point, site,
                action, detail, null));
    }
}
