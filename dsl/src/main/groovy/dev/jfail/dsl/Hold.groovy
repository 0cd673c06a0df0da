package dev.jfail.dsl

import groovy.transform.CompileStatic

import java.time.Duration

/**
 * Threads held at a failpoint, to force one interleaving: arming a hold sets the point to
 * {@code N*pause}, so exactly the next N threads to reach it park there (the count is exact
 * across threads) and any later thread passes; {@link #release()} sets the point {@code off},
 * which lets the held threads go on from where they stopped. To hold the third arrival rather
 * than the first, let two pass: {@code M*off->N*pause}.
 *
 * <pre>
 * def relock = holdAt('unlock_and_deallocate_relock')   // the fault stops in its relock window
 * ...start the workload...
 * relock.awaitHeld()                                    // it got there
 * ...let the other side run to its own point...
 * relock.release()                                      // and let the fault go on
 * </pre>
 */
@CompileStatic
final class Hold implements AutoCloseable {

    /** The point the threads are held at. */
    final FailPointHandle point

    /** How many threads this hold stops. */
    final int threads

    /** How many threads pass the point before the hold stops any. */
    final int passing

    Hold(FailPointHandle point, int threads, int passing) {
        if (threads < 1) {
            throw new IllegalArgumentException("a hold stops at least one thread, not $threads")
        }
        if (passing < 0) {
            throw new IllegalArgumentException("a hold lets a number of threads pass, not $passing")
        }
        this.point = point
        this.threads = threads
        this.passing = passing
        point.setting = passing == 0 ? "$threads*pause" : "$passing*off->$threads*pause"
    }

    /** Waits until all the threads this hold stops are paused at the point. */
    Hold awaitHeld(Duration atMost = Patience.default) {
        point.awaitPaused(threads, atMost)
        this
    }

    /** The names of the threads held right now. */
    List<String> getHeldThreads() {
        point.pausedThreads
    }

    /** Lets the held threads go on, and waits until none is paused at the point any more. */
    Hold release(Duration atMost = Patience.default) {
        point.off()
        Waiting.until("the threads held at ${point.name} to leave it", atMost, { "still held: ${point.pausedThreads}" }) {
            point.paused == 0
        }
        this
    }

    /** The same as {@link #release()}, so a hold can be used with {@code withCloseable}. */
    @Override
    void close() {
        release()
    }

    @Override
    String toString() {
        "hold of $threads thread(s) at ${point.name}${passing ? " after $passing passed" : ''}"
    }
}
