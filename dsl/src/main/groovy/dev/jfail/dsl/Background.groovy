package dev.jfail.dsl

import dev.jfail.spi.Waits
import groovy.transform.CompileStatic

import java.time.Duration
import java.util.concurrent.ExecutionException
import java.util.concurrent.FutureTask
import java.util.concurrent.TimeUnit
import java.util.concurrent.TimeoutException

/**
 * A piece of work running on its own named thread, so the spec's thread stays free to steer it
 * through holds. The thread is a daemon: a spec that fails never keeps the JVM alive.
 */
@CompileStatic
final class Background<T> {

    /** The thread's name, which also appears in failpoint status and replay decisions. */
    final String name

    private final FutureTask<T> task
    private final Thread thread

    private Background(String name, Closure<T> work) {
        this.name = name
        this.task = new FutureTask<T>(work)
        this.thread = new Thread(task, name)
        thread.daemon = true
    }

    /** Starts {@code work} on a new thread named {@code name}. */
    static <T> Background<T> start(String name, Closure<T> work) {
        Background<T> background = new Background<T>(name, work)
        background.thread.start()
        background
    }

    /** Whether the work has finished, well or badly. */
    boolean isDone() {
        task.isDone()
    }

    /**
     * The work's result, waiting at most {@code atMost}. What the work threw is thrown here; work
     * still running after that long fails the spec with the thread's stack.
     */
    T await(Duration atMost = Waits.patience()) {
        try {
            return task.get(atMost.toMillis(), TimeUnit.MILLISECONDS)
        } catch (ExecutionException e) {
            throw e.cause
        } catch (TimeoutException ignored) {
            String stack = thread.stackTrace.collect { StackTraceElement frame -> "\tat $frame" }.join('\n')
            throw new AssertionError("$name still running after ${atMost.toMillis() / 1000} s:\n$stack" as Object)
        }
    }

    @Override
    String toString() {
        "background $name"
    }
}
