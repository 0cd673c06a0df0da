package dev.jfail.dsl

import dev.jfail.spi.Waits
import groovy.transform.CompileStatic

import java.time.Duration

/**
 * The live threads of one name, looked at from outside: for the orderings that need to know that
 * another thread has got somewhere and gone to sleep there — e.g. that the fixed collapse sleeps
 * on the fault's busy page — which no failpoint can tell. Only positive facts are awaited: a
 * thread is waiting in a method; never "it did not get there in time".
 */
@CompileStatic
final class NamedThread {

    private static final Set<Thread.State> WAITING = EnumSet.of(Thread.State.BLOCKED, Thread.State.WAITING, Thread.State.TIMED_WAITING)

    /** The thread name, e.g. a kernel thread's {@code sh}, {@code mdmon}, {@code ksoftirqd/0}. */
    final String name

    NamedThread(String name) {
        this.name = name
    }

    /** The live threads of that name right now. */
    List<Thread> getThreads() {
        Thread.allStackTraces.keySet().findAll { Thread t -> t.name == name && t.alive }.toList()
    }

    /** Whether a thread of that name is alive. */
    boolean isAlive() {
        !threads.isEmpty()
    }

    /**
     * Whether a thread of that name is blocked or waiting with {@code method} on its stack; the
     * method is a simple name ({@code md_super_wait}) or {@code Class.method} with the simple class name.
     */
    boolean isWaitingIn(String method) {
        threads.any { Thread t -> t.state in WAITING && t.stackTrace.any { StackTraceElement frame -> matches(frame, method) } }
    }

    /** Waits until a thread of that name is blocked or waiting in {@code method}. */
    NamedThread awaitWaitingIn(String method, Duration atMost = Waits.patience()) {
        Waiting.until("thread $name to wait in $method", atMost, { describe() }) { isWaitingIn(method) }
        this
    }

    /**
     * Waits until no thread of that name is alive: a thread the spec has seen (held at a point,
     * say) has finished its work.
     */
    NamedThread awaitExited(Duration atMost = Waits.patience()) {
        Waiting.until("thread $name to exit", atMost, { describe() }) { !alive }
        this
    }

    private static boolean matches(StackTraceElement frame, String method) {
        if (frame.methodName == method) {
            return true
        }
        String simpleClass = frame.className.substring(frame.className.lastIndexOf('.') + 1)
        "${simpleClass}.${frame.methodName}" == method
    }

    private String describe() {
        List<Thread> live = threads
        if (live.isEmpty()) {
            return "no live thread is named $name"
        }
        live.collect { Thread t ->
            "$name is ${t.state} at ${t.stackTrace.findAll { StackTraceElement f -> !plumbing(f) }.take(8).collect { StackTraceElement f -> "${f.className.substring(f.className.lastIndexOf('.') + 1)}.${f.methodName}" }.join(' < ')}"
        }.join('; ')
    }

    /** Frames of the JDK and of Groovy's call machinery, which say nothing about where the thread is. */
    private static boolean plumbing(StackTraceElement frame) {
        String c = frame.className
        c.startsWith('java.') || c.startsWith('jdk.') || c.startsWith('sun.') || c.startsWith('org.codehaus.groovy.') ||
                c.startsWith('groovy.lang.') || c.startsWith('org.apache.groovy.') || c.contains('$$Lambda') || c.contains('LambdaForm$')
    }

    @Override
    String toString() {
        "thread $name"
    }
}
