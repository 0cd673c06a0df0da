package dev.jfail.config;

import dev.jfail.tooling.Declaration;
import dev.jfail.tooling.PointDeclaration;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a list of entries separated by {@code ;} into settings ({@code name=setting}, handed to
 * the registry as one {@link dev.jfail.core.SettingList}) and declarations ({@code name@Class#method(desc)[:position]} or {@code auto@CLASSES}, see {@link Declaration}).
 * A {@code ;} inside a declaration's descriptor does not split.
 *
 * The entry {@code --jmx} (what the CLI passes when it loads the agent) asks for the control surfaces
 * (the MBean and the CLI's control channel) at once.
 *
 * @param settings     the {@code name=setting} entries, in order, checked when applied
 * @param declarations the declarations, parsed
 * @param jmxNow       whether the MBean and the control channel must be ready before the load returns
 */
public record AgentArguments(List<String> settings, List<Declaration> declarations, boolean jmxNow) {

    public static final AgentArguments NONE = new AgentArguments(List.of(), List.of(), false);
    static final String JMX_NOW = "--jmx";

    /** Parses {@code text}; a bad declaration throws with a one-line message, settings are checked later. */
    public static AgentArguments parse(String text) {
        if (text == null || text.isBlank()) {
            return NONE;
        }
        List<String> settings = new ArrayList<>();
        List<Declaration> declarations = new ArrayList<>();
        boolean jmxNow = false;
        for (String entry : split(text)) {
            if (entry.isEmpty()) {
                continue;
            }
            if (entry.startsWith("--")) {
                if (!entry.equals(JMX_NOW)) {
                    throw new IllegalArgumentException("unknown option '" + entry + "'; the only one is " + JMX_NOW);
                }
                jmxNow = true;
            } else if (PointDeclaration.looksLikeDeclaration(entry)) {
                declarations.add(Declaration.parse(entry));
            } else {
                settings.add(entry);
            }
        }
        return new AgentArguments(List.copyOf(settings), List.copyOf(declarations), jmxNow);
    }

    private static List<String> split(String text) {
        List<String> entries = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ';' && !insideDescriptor(current)) {
                entries.add(current.toString().strip());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        entries.add(current.toString().strip());
        return entries;
    }

    /**
     * Whether a {@code ;} after {@code entry} belongs to a descriptor of a declaration (the method's
     * or, in a position, the callee's): inside its parameter list, or ending its reference return
     * type ({@code m(I)Ljava/lang/String;}).
     */
    private static boolean insideDescriptor(CharSequence entry) {
        String s = entry.toString();
        int open = s.lastIndexOf('(');
        if (open < 0 || s.indexOf('#') < 0 || !PointDeclaration.looksLikeDeclaration(s)) {
            return false;
        }
        int close = s.indexOf(')', open);
        return close < 0 || s.substring(close + 1).matches("\\[*L[^;]+");
    }
}
