package dev.jfail.explore;

/**
 * An ordering at failpoint granularity: the thread making the {@code crossing}-th crossing of
 * {@code hold} waits there until another thread reaches {@code until} (then {@code lagMillis}
 * more), or at most {@code maxWaitMillis}, so that it never deadlocks a workload whose other
 * threads need it. PCT's change point, placed where the engineer's failpoints are.
 *
 * @param hold          the point a thread is held at
 * @param crossing      which crossing of {@code hold} is held (1: the first)
 * @param until         the point another thread must reach before the held one goes on
 * @param lagMillis     how long after that the held thread is let go
 * @param maxWaitMillis the longest a thread is held whatever happens
 */
public record Order(String hold, int crossing, String until, int lagMillis, int maxWaitMillis) {

    public Order {
        if (crossing < 1 || lagMillis < 0 || maxWaitMillis < 1) {
            throw new IllegalArgumentException("order: crossing >= 1, lag >= 0, wait >= 1, not "
                    + crossing + ", " + lagMillis + ", " + maxWaitMillis);
        }
    }

    /** The setting that stops the {@code crossing}-th thread at {@code hold}: {@code [K-1*off->]1*pause}. */
    String pauseSetting() {
        return Terms.atCrossing(crossing, "1*pause");
    }

    @Override
    public String toString() {
        return "hold " + hold + (crossing > 1 ? " (crossing " + crossing + ")" : "") + " until " + until + " is reached"
                + (lagMillis > 0 ? " +" + lagMillis + " ms" : "");
    }
}
