package dev.jfail.agent;

import dev.jfail.core.Report;

/**
 * A JVM a test launched ({@code -Djfail.parent=PID}) ends when that test's JVM does, however it ends
 * (killed, crashed): first everything it started, then itself. A test never leaves a process behind,
 * even when nothing in it ran to the end.
 */
final class ParentWatch {

    static final String PROPERTY = "jfail.parent";

    private ParentWatch() {
    }

    static void start() {
        String parent = System.getProperty(PROPERTY);
        if (parent == null) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(parent.trim());
        } catch (NumberFormatException e) {
            Report.error("-D" + PROPERTY + "=" + parent + " is not a pid (ignored)");
            return;
        }
        ProcessHandle.of(pid).ifPresentOrElse(h -> h.onExit().thenRun(ParentWatch::end), ParentWatch::end);
    }

    private static void end() {
        ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
        Runtime.getRuntime().halt(143);
    }
}
