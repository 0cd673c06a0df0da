package dev.jfail.trace;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;
import jdk.jfr.Recording;
import jdk.jfr.RecordingState;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * The failpoint events as JFR sees them ({@code jfr print --categories jfail}, JDK Mission
 * Control), beside the JVM's own lock, park and GC events. Each is made only when JFR has it
 * enabled, so nothing is paid while no recording runs. Only {@link FailPointTrace} touches this
 * class, and only when {@code jdk.jfr} is present.
 */
final class JfrEvents {

    private JfrEvents() {
    }

    /**
     * Whether a JFR recording runs, kept by a listener, so that no event is even made while none
     * does. Free of {@code jdk.jfr} types itself: without that module it just stays false.
     */
    static final class Watch {
        static volatile boolean running;

        static {
            if (!"off".equals(System.getProperty("jfail.jfr"))) {
                try {
                    Listener.install();
                } catch (LinkageError | RuntimeException e) {
                    running = false; // no jdk.jfr in this runtime: no JFR events
                }
            }
        }

        private Watch() {
        }
    }

    private static final class Listener implements FlightRecorderListener {
        static void install() {
            FlightRecorder.addListener(new Listener());
            if (FlightRecorder.isInitialized()) { // a recording started before we listened (-XX:StartFlightRecording)
                update(FlightRecorder.getFlightRecorder());
            }
        }

        @Override
        public void recordingStateChanged(Recording recording) {
            update(FlightRecorder.getFlightRecorder());
        }

        private static void update(FlightRecorder recorder) {
            Watch.running = recorder.getRecordings().stream().anyMatch(r -> r.getState() == RecordingState.RUNNING);
        }
    }

    @Name("dev.jfail.FailPointEvaluated")
    @Label("Failpoint Evaluated")
    @Category("jfail")
    @Description("An armed failpoint was crossed: the probability rolls and which terms fired")
    @StackTrace(false)
    static final class Evaluated extends Event {
        @Label("Point") String point;
        @Label("Site") String site;
        @Label("Setting") String setting;
        @Label("Rolls") String rolls;
        @Label("Decision") String decision;
        @Label("Sequence") long sequence;
    }

    @Name("dev.jfail.FailPointFired")
    @Label("Failpoint Fired")
    @Category("jfail")
    @Description("A term of a failpoint's setting fired: its action, argument and return value")
    static final class Fired extends Event {
        @Label("Point") String point;
        @Label("Site") String site;
        @Label("Action") String action;
        @Label("Argument") long argument;
        @Label("Return Value") String returnValue;
        @Label("Sequence") long sequence;
    }

    @Name("dev.jfail.FailPointSlept")
    @Label("Failpoint Slept")
    @Category("jfail")
    @Description("A sleep(ms) or delay(us) of a failpoint, from start to end")
    @StackTrace(false)
    static final class Slept extends Event {
        @Label("Point") String point;
        @Label("Site") String site;
        @Label("Action") String action;
        @Label("Sequence") long sequence;
    }

    @Name("dev.jfail.FailPointPaused")
    @Label("Failpoint Paused")
    @Category("jfail")
    @Description("A thread held by a failpoint's pause, from the pause to its release")
    @StackTrace(false)
    static final class Paused extends Event {
        @Label("Point") String point;
        @Label("Site") String site;
        @Label("Sequence") long sequence;
    }

    @Name("dev.jfail.FailPointPanicked")
    @Label("Failpoint Panicked")
    @Category("jfail")
    @Description("A failpoint's panic fired: the carrying method throws")
    static final class Panicked extends Event {
        @Label("Point") String point;
        @Label("Site") String site;
        @Label("Message") String message;
        @Label("Sequence") long sequence;
    }

    static void evaluated(String point, String site, String setting, int[] rolls, String decision, long seq) {
        Evaluated e = new Evaluated();
        if (e.isEnabled()) {
            e.point = point;
            e.site = site;
            e.setting = setting;
            e.rolls = FailPointTrace.describeRolls(rolls);
            e.decision = decision;
            e.sequence = seq;
            e.commit();
        }
    }

    static void fired(String point, String site, String action, long argument, String returnValue, long seq) {
        Fired e = new Fired();
        if (e.isEnabled()) {
            e.point = point;
            e.site = site;
            e.action = action;
            e.argument = argument;
            e.returnValue = returnValue;
            e.sequence = seq;
            e.commit();
        }
    }

    static void panicked(String point, String site, String message, long seq) {
        Panicked e = new Panicked();
        if (e.isEnabled()) {
            e.point = point;
            e.site = site;
            e.message = message;
            e.sequence = seq;
            e.commit();
        }
    }

    /** A begun duration event, or null when JFR does not want it. */
    static Event sleepBegin(String point, String site, String action, long seq) {
        Slept e = new Slept();
        if (!e.isEnabled()) {
            return null;
        }
        e.point = point;
        e.site = site;
        e.action = action;
        e.sequence = seq;
        e.begin();
        return e;
    }

    static Event pauseBegin(String point, String site, long seq) {
        Paused e = new Paused();
        if (!e.isEnabled()) {
            return null;
        }
        e.point = point;
        e.site = site;
        e.sequence = seq;
        e.begin();
        return e;
    }

    static void end(Object begun) {
        if (begun instanceof Event e) {
            e.commit();
        }
    }
}
