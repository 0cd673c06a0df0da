package dev.jfail.trace;

/**
 * One recorded event: a failpoint's (evaluated, fired, a sleep or pause beginning or ending, a panic)
 * or one an application or model adds to the same record (a lock taken, a sleep on a wait channel, a
 * report). Immutable, so a reader may copy it while its thread goes on writing.
 *
 * @param seq      the run's sequence number: failpoint events are numbered in the order they
 *                 happened across all threads; events added from outside have {@link #NO_SEQ}
 * @param nanos    {@link System#nanoTime()} when it happened (monotonic)
 * @param thread   the thread's name at that moment
 * @param threadId the Java thread id
 * @param kind     what happened
 * @param point    the failpoint's name; for outside events, what it concerns (a lock, a channel), or null
 * @param site     the instrumented method, e.g. {@code dev.jfail.kernel.vm.VmFault.relock()}, or null
 * @param action   {@link Kind#EVALUATED}: the decision ({@code none}, or the fired terms as
 *                 {@code INDEX:TERM}, e.g. {@code 1:return(1)}); {@link Kind#FIRED}: the term;
 *                 the other kinds: the action or a short label
 * @param detail   free text shown beside it (the setting, the return value and stack, a report), or null
 * @param rolls    {@link Kind#EVALUATED}: each term's probability roll in millionths (-1: not
 *                 rolled), or null when nothing was rolled; kept raw so recording costs no formatting
 */
public record TraceEvent(long seq, long nanos, String thread, long threadId, Kind kind, String point, String site,
                         String action, String detail, int[] rolls) {

    /** An event without rolls. */
    public TraceEvent(long seq, long nanos, String thread, long threadId, Kind kind, String point, String site,
                      String action, String detail) {
        this(seq, nanos, thread, threadId, kind, point, site, action, detail, null);
    }

    /** The detail with the rolls, as a page or a report shows it. */
    public String describe() {
        String r = FailPointTrace.describeRolls(rolls);
        return r == null ? detail : detail == null ? r : detail + "; " + r;
    }

    /** The sequence number of events that did not come from a failpoint. */
    public static final long NO_SEQ = -1;

    /** What happened. The {@code _BEGIN}/{@code _END} pairs of one thread make a bar on a timeline. */
    public enum Kind {
        /** An armed point was crossed: the rolls and the decision. One per crossing; replay orders these. */
        EVALUATED,
        /** A term fired: its action, argument and (for return) the value. */
        FIRED,
        /** A {@code sleep(ms)} or {@code delay(us)} began. */
        SLEEP_BEGIN,
        SLEEP_END,
        /** A {@code pause} began; its end is the release. */
        PAUSE_BEGIN,
        PAUSE_END,
        /** {@code panic} fired: the carrying method throws. */
        PANIC,
        /** From outside (an application, a model): a mark, e.g. a lock taken or released. */
        MARK,
        /** From outside: the thread blocks (e.g. sleeps on a wait channel) until the matching end. */
        BLOCK_BEGIN,
        BLOCK_END,
        /** From outside: the failure (a panic, an oops, a deadlock, lost data) where it happened. */
        FAILURE;

        /** Whether the event starts a bar. */
        public boolean begins() {
            return this == SLEEP_BEGIN || this == PAUSE_BEGIN || this == BLOCK_BEGIN;
        }

        /** Whether the event ends a bar. */
        public boolean ends() {
            return this == SLEEP_END || this == PAUSE_END || this == BLOCK_END;
        }
    }

    /** Whether this is a failpoint crossing (the events replay orders). */
    public boolean isCrossing() {
        return kind == Kind.EVALUATED;
    }

    /** An event from outside the failpoints, on the calling thread, now. */
    public static TraceEvent external(Kind kind, String subject, String action, String detail) {
        Thread t = Thread.currentThread();
        return new TraceEvent(NO_SEQ, System.nanoTime(), t.getName(), threadIdOf(t), kind, subject, null, action, detail);
    }

    @SuppressWarnings("deprecation") // Thread.threadId() is JDK 19+; getId() is the same number
    public static long threadIdOf(Thread t) {
        return t.getId();
    }
}
