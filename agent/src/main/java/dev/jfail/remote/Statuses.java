package dev.jfail.remote;

import dev.jfail.FailPointStatus;
import dev.jfail.jmx.PointStatus;

import java.util.ArrayList;
import java.util.List;

/** A {@link PointStatus} from the channel back into the facade's {@link FailPointStatus}. */
final class Statuses {

    private Statuses() {
    }

    static FailPointStatus of(PointStatus p) {
        List<FailPointStatus.ThreadInPoint> threads = new ArrayList<>();
        for (PointStatus.HeldThread t : p.getThreads()) {
            List<StackTraceElement> stack = new ArrayList<>();
            t.getStack().forEach(frame -> stack.add(frame(frame)));
            threads.add(new FailPointStatus.ThreadInPoint(t.getThreadName(), t.getThreadId(),
                    FailPointStatus.ThreadInPoint.State.valueOf(t.getState()), stack));
        }
        return new FailPointStatus(p.getName(), p.getSetting(), p.isDeclared(), p.getSites(), p.getEvaluations(),
                p.getFired(), threads);
    }

    /** {@code [module/]com.foo.Bar.method(Bar.java:12)} as a stack frame. */
    static StackTraceElement frame(String text) {
        int paren = text.indexOf('(');
        String qualified = paren < 0 ? text : text.substring(0, paren);
        qualified = qualified.substring(qualified.lastIndexOf('/') + 1); // "java.base/" or "app//"
        int dot = qualified.lastIndexOf('.');
        String where = paren < 0 ? "" : text.substring(paren + 1, text.endsWith(")") ? text.length() - 1 : text.length());
        int colon = where.lastIndexOf(':');
        int line = -1;
        String file = where;
        if (colon > 0) {
            try {
                line = Integer.parseInt(where.substring(colon + 1));
                file = where.substring(0, colon);
            } catch (NumberFormatException ignored) {
                // "Unknown Source" and the like
            }
        }
        return new StackTraceElement(dot < 0 ? "?" : qualified.substring(0, dot), qualified.substring(dot + 1),
                file.isEmpty() || file.startsWith("Unknown") || file.startsWith("Native") ? null : file, line);
    }
}
