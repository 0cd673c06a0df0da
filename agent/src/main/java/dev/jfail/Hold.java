package dev.jfail;

import dev.jfail.core.Patience;

import java.time.Duration;
import java.util.List;

/**
 * Threads held at a failpoint, to force one interleaving: made by {@link FailPoints#holdAt(String)}
 * and its siblings, which set the point to {@code N*pause} (FreeBSD's counted pause: exactly the
 * next N threads to arrive park there, any later one passes). {@link #release()} sets the point
 * {@code off}, which lets the held threads go on from where they stopped.
 *
 * <pre>{@code
 * try (Hold relock = FailPoints.holdAt("unlock_and_deallocate_relock")) {  // the fault stops in its window
 *     pool.submit(fault);
 *     relock.awaitHeld();                                                   // it got there
 *     collapse.run();                                                       // the other side runs now
 * }                                                                          // close() releases the fault
 * }</pre>
 *
 * Every wait is bounded ({@code -Djfail.patience=SECONDS}, 10 s by default) and fails with an
 * {@link AssertionError} saying what it saw: how many threads were held, how often the point was
 * reached, and whether any loaded code declares the point at all.
 */
public interface Hold extends AutoCloseable {

    /**
     * The point the threads are held at.
     *
     * @return its name, without the {@code debug.fail_point.} prefix
     */
    String point();

    /**
     * How many threads this hold stops.
     *
     * @return the N of its {@code N*pause}
     */
    int threads();

    /**
     * Waits (10 s, or {@code -Djfail.patience}) until every thread this hold stops is parked at the point.
     *
     * @return this hold, to go on with the interleaving once its threads are in the window
     */
    default Hold awaitHeld() {
        return awaitHeld(Patience.standard());
    }

    /**
     * Waits at most {@code atMost} until every thread this hold stops is parked at the point.
     *
     * @param atMost how long to wait before the {@link AssertionError}
     * @return this hold, to go on with the interleaving once its threads are in the window
     */
    Hold awaitHeld(Duration atMost);

    /**
     * The names of the threads parked at the point right now.
     *
     * @return their names; empty before they arrive and after the release
     */
    List<String> heldThreads();

    /**
     * Lets the held threads go on (the point is set {@code off}), and waits until none is parked there.
     *
     * @return this hold, whose {@link #heldThreads()} is then empty
     */
    Hold release();

    /** The same as {@link #release()}, so a hold fits try-with-resources; never throws a checked exception. */
    @Override
    default void close() {
        release();
    }
}
