package dev.jfail.cli;

import dev.jfail.jmx.FailPointsMXBean;
import dev.jfail.jmx.PointStatus;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the target sends, made safe to print on a terminal: control characters (ESC, BEL, CR, ...,
 * the C1 range) and Unicode's bidirectional overrides become {@code ?}. A target, or whatever sits
 * at its socket, cannot move the cursor, retitle the window or reorder what the CLI prints.
 */
final class Printable {

    private Printable() {
    }

    /** {@code s} with every character a terminal would act on replaced by {@code ?}. */
    static String text(String s) {
        if (s == null) {
            return null;
        }
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c) || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069')) {
                if (out == null) {
                    out = new StringBuilder(s.length()).append(s, 0, i);
                }
                out.append('?');
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? s : out.toString();
    }

    /** The target's failpoints, every string they return, and every message they throw with, made printable. */
    static FailPointsMXBean failPoints(FailPointsMXBean target) {
        return (FailPointsMXBean) Proxy.newProxyInstance(FailPointsMXBean.class.getClassLoader(),
                new Class<?>[] {FailPointsMXBean.class}, (proxy, method, args) -> {
                    try {
                        return value(method.invoke(target, args));
                    } catch (InvocationTargetException e) {
                        throw printable(e.getCause());
                    }
                });
    }

    private static Throwable printable(Throwable t) {
        if (t instanceof IllegalArgumentException) {
            return new IllegalArgumentException(text(t.getMessage()));
        }
        if (t instanceof IllegalStateException) {
            return new IllegalStateException(text(t.getMessage()));
        }
        if (t instanceof RuntimeException || t instanceof Error) {
            return new IllegalStateException(text(String.valueOf(t.getMessage())));
        }
        return t; // an IOException of the channel: its message is this side's own
    }

    private static Object value(Object v) {
        if (v instanceof String s) {
            return text(s);
        }
        if (v instanceof PointStatus p) {
            return new PointStatus(text(p.getName()), text(p.getSetting()), p.isDeclared(), strings(p.getSites()),
                    p.getEvaluations(), fired(p.getFired()), p.getThreads().stream().map(Printable::thread).toList());
        }
        if (v instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(item -> out.add(value(item)));
            return out;
        }
        if (v instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            map.forEach((k, item) -> out.put(value(k), value(item)));
            return out;
        }
        return v;
    }

    private static PointStatus.HeldThread thread(PointStatus.HeldThread t) {
        return new PointStatus.HeldThread(text(t.getThreadName()), t.getThreadId(), text(t.getState()), strings(t.getStack()));
    }

    private static List<String> strings(List<String> strings) {
        return strings.stream().map(Printable::text).toList();
    }

    private static Map<String, Long> fired(Map<String, Long> fired) {
        Map<String, Long> out = new LinkedHashMap<>();
        fired.forEach((k, n) -> out.put(text(k), n));
        return out;
    }
}
