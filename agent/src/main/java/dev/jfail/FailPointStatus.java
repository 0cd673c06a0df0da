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

    public FailPointStatus {
        sites = List.copyOf(sites);
        fired = Map.copyOf(fired);
        threads = List.copyOf(threads);
    }

    /** How often {@code action} fired. */
    public long fired(String action) {
        return fired.getOrDefault(action, 0L);
    }

    /** How often any action fired. */
    public long totalFired() {
        return fired.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The threads paused in the point right now. */
    public List<ThreadInPoint> paused() {
        return threads.stream().filter(t -> t.state() == ThreadInPoint.State.PAUSED).toList();
    }

    /** The threads sleeping (or busy-waiting in {@code delay}) in the point right now. */
    public List<ThreadInPoint> sleeping() {
        return threads.stream().filter(t -> t.state() != ThreadInPoint.State.PAUSED).toList();
    }

    /** A thread held in a failpoint, with its stack at the time of the snapshot. */
    public record ThreadInPoint(String threadName, long threadId, State state, List<StackTraceElement> stack) {
        public ThreadInPoint {
            stack = List.copyOf(stack);
        }

        public enum State { SLEEPING, DELAYING, PAUSED }
    }
}
