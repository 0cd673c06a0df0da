package dev.jfail.dsl

import dev.jfail.FailPoints
import dev.jfail.Hold
import dev.jfail.Jvm
import dev.jfail.spi.Waits

import java.time.Duration

/**
 * The failpoint DSL in one line: {@code class MySpec extends Specification implements FailPointDsl}.
 *
 * <pre>
 * debug.fail_point.unlock_and_deallocate_relock = '50%sleep(10)'
 * assert debug.fail_point.unlock_and_deallocate_relock == '50%sleep(10)'
 * sysctl 'debug.fail_point.vmob_scan_rename_unlock=20%return(1)'
 * failpoints(unlock_and_deallocate_relock: '50%sleep(10)') { ...runs with it; the old setting is back after... }
 * hits('unlock_and_deallocate_relock') > 0
 *
 * def relock = holdAt('unlock_and_deallocate_relock')   // the next thread to get there parks
 * def run = background('collapse run') { race.runOnce('buggy', context) }
 * relock.awaitHeld()
 * relock.release()
 * run.await().kind == PANIC
 * </pre>
 *
 * Failpoints belong to the whole JVM: the jfail Spock extension resets them after every feature.
 */
trait FailPointDsl {

    /** {@code debug.fail_point.NAME}, to read and assign as with sysctl. */
    DebugSysctl getDebug() {
        DebugSysctl.INSTANCE
    }

    /** {@code sysctl 'debug.fail_point.NAME=SETTING'}, {@code sysctl 'debug.fail_point.NAME'}; see {@link SysctlCommand}. */
    Object sysctl(String first, String... more) {
        SysctlCommand.sysctl(first, more)
    }

    /** Runs {@code block} with the points set, and puts their old settings back after it. */
    def <T> T failpoints(Map<String, ?> settings, Closure<T> block) {
        ScopedFailPoints.failpoints(settings, block)
    }

    /** The same with {@code 'name=setting;name=setting'}. */
    def <T> T failpoints(String settings, Closure<T> block) {
        ScopedFailPoints.failpoints(settings, block)
    }

    /** One point, live: setting, hits, fired, paused, sleeping, holds. */
    FailPointHandle failpoint(String name) {
        new FailPointHandle(name)
    }

    /** How many times a thread reached the point. */
    long hits(String name) {
        failpoint(name).hits
    }

    /** How many times any action of the point fired. */
    long fired(String name) {
        failpoint(name).fired
    }

    /** How many threads are paused in the point now. */
    int paused(String name) {
        failpoint(name).paused
    }

    /** How many threads are sleeping in the point now. */
    int sleeping(String name) {
        failpoint(name).sleeping
    }

    /**
     * Runs {@code block} against another JVM's failpoints, in the same words ({@code debug.fail_point.NAME = ...},
     * {@code sysctl}, {@code holdAt}, {@code awaitFired}); see {@link JvmScope}. Connects by pid and disconnects after.
     */
    def <T> T jvm(long pid, @DelegatesTo(value = JvmScope, strategy = Closure.DELEGATE_FIRST) Closure<T> block) {
        Jvm handle = FailPoints.jvm(pid)
        try {
            return JvmScope.run(handle, block)
        } finally {
            handle.close()
        }
    }

    /** The same through a handle the spec has (a launched JVM's): the handle stays open. */
    def <T> T jvm(Jvm handle, @DelegatesTo(value = JvmScope, strategy = Closure.DELEGATE_FIRST) Closure<T> block) {
        JvmScope.run(handle, block)
    }

    /** Holds the next thread that reaches the point ({@code 1*pause}); see {@link Hold}, the Java hold API this wraps. */
    Hold holdAt(String name) {
        failpoint(name).hold(1)
    }

    /** Holds the next {@code threads} threads that reach the point ({@code N*pause}). */
    Hold holdAt(String name, int threads) {
        failpoint(name).hold(threads)
    }

    /**
     * Holds at a point with options: {@code holdAt('super_written_delay', passing: 2)} lets two
     * threads through and holds the third; {@code threads: N} holds N.
     */
    Hold holdAt(Map<String, Integer> options, String name) {
        Set<String> unknown = options.keySet() - ['threads', 'passing']
        if (unknown) {
            throw new IllegalArgumentException("holdAt takes threads: and passing:, not ${unknown.join(', ')}")
        }
        failpoint(name).hold(options.containsKey('threads') ? options.threads : 1, options.containsKey('passing') ? options.passing : 0)
    }

    /** Holds {@code thread}, and only it, the next time it reaches the point ({@code 1*pause[pid ID]}). */
    Hold holdAt(String name, Thread thread) {
        FailPoints.holdAt(name, thread)
    }

    /** Arms the point to count arrivals and do nothing else, so its hits can be awaited; see {@link FailPointHandle#watch()}. */
    FailPointHandle watch(String name) {
        failpoint(name).watch()
    }

    /** Starts {@code work} on its own thread, named {@code name}; {@code await()} its result. */
    def <T> Background<T> background(String name, Closure<T> work) {
        Background.start(name, work)
    }

    /** The live threads named {@code name}, to await one of them waiting in a method. */
    NamedThread thread(String name) {
        new NamedThread(name)
    }

    /** The default bound of every wait of the DSL (10 s, or {@code -Djfail.patience=SECONDS}). */
    Duration getPatience() {
        Waits.patience()
    }
}
