package dev.jfail;

import java.util.List;
import java.util.Map;

/**
 * A snapshot of one failpoint: FreeBSD's {@code status_NAME}, and more.
 *
 * @param name        the failpoint's name
 * @param setting     the live setting in canonical read-back form ({@code off} when off)
 * @param declared    whether code carrying this point has been loaded (a point may be set first)
 * @param sites       the methods that carry the point, e.g. {@code dev.jfail.kernel.vm.VmFault.relock()}
 * @param evaluations how many times a thread reached the point since it was last reset
 * @param fired       how often each action fired, keyed by type name ({@code return}, {@code sleep}, ...)
 * @param threads     the threads sleeping, delaying or paused in the point right now
 */
public record FailPointStatus(
        String name,
        String setting,
        boolean declared,
        List<String> sites,
        long evaluations,
        Map<String, Long> fired,
        List<ThreadInPoint> threads) {

    /**
     * A snapshot; the collections are copied, so it does not change with the point.
     *
     * @param name        the failpoint's name
     * @param setting     the live setting in canonical read-back form
     * @param declared    whether code carrying this point has been loaded
     * @param sites       the methods that carry the point
     * @param evaluations how many times a thread reached the point since it was last reset
     * @param fired       how often each action fired, keyed by type name
     * @param threads     the threads sleeping, delaying or paused in the point right now
     */
    public FailPointStatus {
        sites = List.copyOf(sites);
        fired = Map.copyOf(fired);
        threads = List.copyOf(threads);
    }

    /**
     * How often {@code action} fired.
     *
     * @param action the action's type name, as FreeBSD spells it ({@code return}, {@code sleep}, {@code pause}, ...)
     * @return its firings since the point was last reset; 0 for one that never fired
     */
    public long fired(String action) {
        return fired.getOrDefault(action, 0L);
    }

    /**
     * How often any action fired.
     *
     * @return the sum of {@link #fired()}, what {@code FailPoints.awaitFired} counts
     */
    public long totalFired() {
        return fired.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * The threads paused in the point right now.
     *
     * @return those of {@link #threads()} in {@code pause}, which stay until the point is set off
     */
    public List<ThreadInPoint> paused() {
        return threads.stream().filter(t -> t.state() == ThreadInPoint.State.PAUSED).toList();
    }

    /**
     * The threads sleeping (or busy-waiting in {@code delay}) in the point right now.
     *
     * @return those of {@link #threads()} that go on by themselves once their time is up
     */
    public List<ThreadInPoint> sleeping() {
        return threads.stream().filter(t -> t.state() != ThreadInPoint.State.PAUSED).toList();
    }

    /**
     * A thread held in a failpoint, with its stack at the time of the snapshot.
     *
     * @param threadName the thread's name
     * @param threadId   the thread's id, as {@code jstack} and JFR show it
     * @param state      which action keeps it there
     * @param stack      its stack, innermost frame first, as {@link Thread#getStackTrace()} gives it
     */
    public record ThreadInPoint(String threadName, long threadId, State state, List<StackTraceElement> stack) {
        /**
         * A held thread; the stack is copied.
         *
         * @param threadName the thread's name
         * @param threadId   the thread's id
         * @param state      which action keeps it there
         * @param stack      its stack, innermost frame first
         */
        public ThreadInPoint {
            stack = List.copyOf(stack);
        }

        /** Which action keeps a thread in a point. */
        public enum State {
            /** In {@code sleep(ms)}: it goes on when the time is up (or when it is interrupted). */
            SLEEPING,
            /** In {@code delay(us)}: busy-waiting, as FreeBSD's {@code DELAY} does, keeping its CPU until the time is up. */
            DELAYING,
            /** In {@code pause}: it stays until the point is set off (a hold's release). */
            PAUSED
        }
    }
}
