package dev.jfail.core;

/**
 * Who hears of an armed point's crossings, and who may make a crossing wait for its turn: the trace
 * and the replay install themselves here, so the core knows neither (the way
 * {@link RuntimeDeclarations} keeps the MBean out of it). Off points never get here; with nothing
 * installed, an armed point pays one volatile read for each of the two.
 */
public final class Crossings {

    /** What the evaluation of an armed point reports as it happens (the trace: its recorder and JFR). */
    public interface Observer {
        /** Whether anyone listens now: when not, nothing else is called for this crossing. */
        boolean listening();

        /**
         * The crossing was decided: {@code rolls} holds each term's roll in millionths (-1: not
         * rolled; null: nothing rolled), {@code fires} the terms that fired (null: none).
         */
        void evaluated(String point, String site, String setting, Term[] terms, int[] rolls, boolean[] fires);

        /** A term fired: its action and argument; {@code returnValue} is what {@code return(n)} returns, else null. */
        void fired(String point, String site, String action, long argument, String returnValue);

        void panicked(String point, String site, String message);

        /** A sleep or delay begins; what it returns is given back to {@link #sleepEnd}. */
        Object sleepBegin(String point, String site, String action);

        void sleepEnd(Object begun, String point, String site, String action);

        /** A pause begins; what it returns is given back to {@link #pauseEnd}. */
        Object pauseBegin(String point, String site);

        void pauseEnd(Object begun, String point, String site);
    }

    /** Makes a crossing wait for its turn (a replay in its recorded order). */
    public interface Scheduler {
        /** Null when the thread is free; else, once it is this crossing's turn, the recorded decision. */
        Turn awaitTurn(String point, String site, Thread me);
    }

    /** A recorded decision, given in the crossing's turn. */
    public interface Turn {
        /** Whether term {@code index} (0-based, in the setting's order) fired at this crossing. */
        boolean fires(int index);

        /** The crossing is decided and reported: the next one may go. */
        void crossed();
    }

    private static final Observer DEAF = new Observer() {
        @Override public boolean listening() { return false; }
        @Override public void evaluated(String p, String s, String t, Term[] terms, int[] rolls, boolean[] fires) { }
        @Override public void fired(String p, String s, String a, long arg, String r) { }
        @Override public void panicked(String p, String s, String m) { }
        @Override public Object sleepBegin(String p, String s, String a) { return null; }
        @Override public void sleepEnd(Object b, String p, String s, String a) { }
        @Override public Object pauseBegin(String p, String s) { return null; }
        @Override public void pauseEnd(Object b, String p, String s) { }
    };

    private static final Scheduler FREE = (point, site, me) -> null;

    private static volatile Observer observer = DEAF;
    private static volatile Scheduler scheduler = FREE;

    private Crossings() {
    }

    /** Installs the observer of every armed crossing (there is one: the trace). */
    public static void observeWith(Observer o) {
        observer = o == null ? DEAF : o;
    }

    /** Installs the scheduler that may hold a crossing until its turn (null: none). */
    public static void scheduleWith(Scheduler s) {
        scheduler = s == null ? FREE : s;
    }

    static Observer observer() {
        return observer;
    }

    static Turn awaitTurn(String point, String site, Thread me) {
        return scheduler.awaitTurn(point, site, me);
    }

    /** {@code rolls} (made, all -1, when null) with term {@code index}'s roll stored. */
    static int[] rolled(int[] rolls, int terms, int index, int roll) {
        if (rolls == null) {
            rolls = new int[terms];
            java.util.Arrays.fill(rolls, -1);
        }
        rolls[index] = roll;
        return rolls;
    }
}
