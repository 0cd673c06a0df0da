package dev.jfail.cli;

import dev.jfail.core.FailPointRegistry;
import dev.jfail.jmx.PointStatus;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** How the CLI prints points: sysctl-like lines, a detailed status, or JSON. */
final class PointText {

    private PointText() {
    }

    /** {@code debug.fail_point.NAME: SETTING  (evaluated 12, fired sleep 6, 1 thread held)}. */
    static String line(PointStatus p) {
        return FailPointRegistry.SYSCTL_PREFIX + p.getName() + ": " + p.getSetting() + "  (" + summary(p) + ")";
    }

    /** sysctl's answer to a set: {@code debug.fail_point.NAME: OLD -> NEW}. */
    static String changed(String name, String before, String after) {
        return FailPointRegistry.SYSCTL_PREFIX + name + ": " + before + " -> " + after;
    }

    static String summary(PointStatus p) {
        List<String> parts = new ArrayList<>();
        parts.add(p.isDeclared() ? "evaluated " + p.getEvaluations() : "no code loaded carries it");
        if (!p.getFired().isEmpty()) {
            StringBuilder fired = new StringBuilder("fired");
            new TreeMap<>(p.getFired()).forEach((action, n) -> fired.append(' ').append(action).append(' ').append(n));
            parts.add(fired.toString());
        }
        if (!p.getThreads().isEmpty()) {
            parts.add(p.getThreads().size() + (p.getThreads().size() == 1 ? " thread" : " threads") + " held");
        }
        return String.join(", ", parts);
    }

    /** Everything known about one point, over several lines. */
    static String detailed(PointStatus p) {
        StringBuilder out = new StringBuilder(line(p)).append('\n');
        for (String site : p.getSites()) {
            out.append("  site ").append(site).append('\n');
        }
        for (PointStatus.HeldThread t : p.getThreads()) {
            out.append("  ").append(t.getState().toLowerCase()).append(": \"").append(t.getThreadName())
                    .append("\" #").append(t.getThreadId()).append('\n');
            for (String frame : t.getStack()) {
                out.append("      at ").append(frame).append('\n');
            }
        }
        return out.toString().stripTrailing();
    }

    /** The JSON of one point; {@code previous} is the setting it had before this run set it, or null. */
    static Map<String, Object> json(PointStatus p, String previous) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", p.getName());
        m.put("setting", p.getSetting());
        if (previous != null) {
            m.put("previous", previous);
        }
        m.put("declared", p.isDeclared());
        m.put("sites", p.getSites());
        m.put("evaluations", p.getEvaluations());
        m.put("fired", new TreeMap<>(p.getFired()));
        List<Map<String, Object>> threads = new ArrayList<>();
        for (PointStatus.HeldThread t : p.getThreads()) {
            Map<String, Object> thread = new LinkedHashMap<>();
            thread.put("name", t.getThreadName());
            thread.put("id", t.getThreadId());
            thread.put("state", t.getState().toLowerCase());
            thread.put("stack", t.getStack());
            threads.add(thread);
        }
        m.put("threads", threads);
        return m;
    }
}
