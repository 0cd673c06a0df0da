package dev.jfail.dsl

import dev.jfail.FailPointStatus
import dev.jfail.FailPoints
import dev.jfail.Hold
import dev.jfail.spi.Waits
import dev.jfail.spi.Names
import groovy.transform.CompileStatic

import java.time.Duration

/**
 * One named failpoint, live: every read asks the registry afresh, so a spec can write
 * {@code failpoint('unlock_and_deallocate_relock').hits > 0} or {@code with(failpoint(x)) { paused == 1 }}.
 */
@CompileStatic
final class FailPointHandle {

    /** The point's name, without the sysctl prefix. */
    final String name

    FailPointHandle(String name) {
        this.name = Names.canonical(name?.trim())
    }

    /** The live setting in FreeBSD's read-back form, {@code off} when off. */
    String getSetting() {
        FailPoints.get(name)
    }

    void setSetting(String setting) {
        FailPoints.set(name, setting)
    }

    /** FreeBSD's {@code status_NAME}: counters and the threads held in the point right now. */
    FailPointStatus getStatus() {
        FailPoints.status(name)
    }

    /** How many times a thread reached the point (since the last reset). */
    long getHits() {
        status.evaluations()
    }

    /** How many times any action fired. */
    long getFired() {
        status.totalFired()
    }

    /** How many times {@code action} ({@code sleep}, {@code return}, {@code pause}, ...) fired. */
    long fired(String action) {
        status.fired(action)
    }

    /** How many threads are paused in the point right now. */
    int getPaused() {
        status.paused().size()
    }

    /** How many threads are sleeping (or busy-waiting in {@code delay}) in the point right now. */
    int getSleeping() {
        status.sleeping().size()
    }

    /** The names of the threads paused in the point right now. */
    List<String> getPausedThreads() {
        status.paused()*.threadName()
    }

    /** The names of the threads sleeping in the point right now. */
    List<String> getSleepingThreads() {
        status.sleeping()*.threadName()
    }

    /** Turns the point off, which releases every thread paused in it. */
    void off() {
        FailPoints.off(name)
    }

    /** Holds the next {@code threads} threads that reach the point: {@code N*pause}; see {@link Hold}. */
    Hold hold(int threads = 1) {
        FailPoints.holdAt(name, threads)
    }

    /**
     * Lets {@code passing} threads through, then holds the next {@code threads}:
     * {@code M*off->N*pause}, FreeBSD's counted off doing the counting.
     */
    Hold hold(int threads, int passing) {
        FailPoints.holdAt(name, threads, passing)
    }

    /**
     * Arms the point with a setting that does nothing but count arrivals — FreeBSD's counted
     * {@code off}, {@code 2147483647*off} — so that its hits can be awaited: a point that is off
     * is not evaluated, so it counts nothing.
     */
    FailPointHandle watch() {
        setting = "${Integer.MAX_VALUE}*off"
        this
    }

    /**
     * Waits until the point has been reached at least {@code times} times in all. A point that is
     * off counts nothing: waiting on one fails at once, asking for {@link #watch()}.
     */
    FailPointHandle awaitHits(long times, Duration atMost = Waits.patience()) {
        if (setting == 'off' && hits < times) {
            throw new AssertionError("$name is off, and a point that is off counts nothing: watch('$name') it, or arm it, before awaiting its hits" as Object)
        }
        Waits.reached(name, times, atMost)
        this
    }

    /** Waits until at least {@code threads} threads are paused in the point. */
    FailPointHandle awaitPaused(int threads = 1, Duration atMost = Waits.patience()) {
        Waits.paused(name, threads, atMost)
        this
    }

    /** Waits until some action of the point has fired at least {@code times} times in all. */
    FailPointHandle awaitFired(long times, Duration atMost = Waits.patience()) {
        FailPoints.awaitFired(name, times, atMost)
        this
    }

    @Override
    String toString() {
        "debug.fail_point.$name"
    }
}
