package dev.jfail.core;

import java.io.PrintStream;
import java.util.Map;

/**
 * The {@code break} action: the JVM's nearest thing to entering the kernel debugger. Put a
 * breakpoint on {@link #breakpoint(String)} in your debugger (jdb: {@code stop in
 * dev.jfail.core.Debugger.breakpoint}).
 */
public final class Debugger {

    /** Written so the JIT cannot drop the call; also shows the last point that broke. */
    private static volatile String lastBreak;

    private Debugger() {
    }

    /** Where a debugger breakpoint sits: every {@code break} of failpoint {@code name} calls this. */
    public static void breakpoint(String name) {
        lastBreak = name;
    }

    /** The name of the failpoint that last executed {@code break}, or null. */
    public static String lastBreak() {
        return lastBreak;
    }

    /** Prints every thread's stack, like a debugger's {@code where all}, then calls {@link #breakpoint}. */
    static void breakInto(String name) {
        dumpAllThreads(System.err, "fail point " + name + " breaking to debugger");
        breakpoint(name);
    }

    static void dumpAllThreads(PrintStream out, String headline) {
        StringBuilder sb = new StringBuilder(headline).append('\n');
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            Thread t = e.getKey();
            sb.append('"').append(t.getName()).append("\" ").append(t.isDaemon() ? "daemon " : "")
                    .append(t.getState()).append('\n');
            for (StackTraceElement frame : e.getValue()) {
                sb.append("\tat ").append(frame).append('\n');
            }
            sb.append('\n');
        }
        out.print(sb);
        out.flush();
    }
}
