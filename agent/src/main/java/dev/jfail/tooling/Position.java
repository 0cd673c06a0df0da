package dev.jfail.tooling;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where in a method a declared point sits: the {@code :POSITION} part of
 * {@code NAME@CLASS#METHOD[(DESC)][:POSITION]}.
 *
 * <pre>
 * POSITION = entry                       (the default)
 *          | exit                        each return and each exception leaving the method
 *          | line=N                      before the first instruction of source line N
 *          | before=CALLEE[#K]           before each call of CALLEE (#K: the K-th call only, from 1)
 *          | after=CALLEE[#K]            right after such a call returns
 *          | before=synchronized[#K]     before each monitorenter of a synchronized block
 *          | after=synchronized[#K]      right after the monitor is taken
 *          | before=field:FIELD[#K]      before each read of FIELD (getfield, getstatic)
 *          | after=field:FIELD[#K]       right after such a read: between a check and the code acting on it
 * CALLEE   = [OWNER.]NAME[(DESC)]        OWNER a simple or fully qualified class name
 * FIELD    = [OWNER.]NAME
 * </pre>
 *
 * @param kind       which of the forms above
 * @param line       the source line ({@link Kind#LINE}), else 0
 * @param owner      the callee's class as written ({@code Pool}, {@code com.acme.Pool}), or {@code ""} for any
 * @param callee     the callee's method name ({@link Kind#BEFORE_CALL}, {@link Kind#AFTER_CALL}) or the field's
 *                   ({@link Kind#BEFORE_FIELD}, {@link Kind#AFTER_FIELD}), else {@code ""}
 * @param descriptor the callee's descriptor or its parameter part, or {@code ""} for any
 * @param ordinal    K of {@code #K}, from 1; 0 for every occurrence
 */
public record Position(Kind kind, int line, String owner, String callee, String descriptor, int ordinal) {

    /** The kinds of position. */
    public enum Kind { ENTRY, EXIT, LINE, BEFORE_CALL, AFTER_CALL, BEFORE_SYNC, AFTER_SYNC, BEFORE_FIELD, AFTER_FIELD }

    public static final Position ENTRY = new Position(Kind.ENTRY, 0, "", "", "", 0);
    public static final Position EXIT = new Position(Kind.EXIT, 0, "", "", "", 0);

    static final String FORM = "entry, exit, line=N, before=CALLEE[#K], after=CALLEE[#K],"
            + " before=synchronized[#K], after=synchronized[#K], before=field:FIELD[#K] or after=field:FIELD[#K]"
            + " (CALLEE: [OWNER.]NAME[(DESC)], FIELD: [OWNER.]NAME)";

    private static final String IDENTIFIER = "[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*";
    private static final String FIELD_TYPE = "\\[*(?:[BCDFIJSZ]|L[^;.\\[()]+;)";
    private static final Pattern AROUND = Pattern.compile("(before|after)=(?:(synchronized)|(?:("
            + IDENTIFIER + "(?:[./$]" + IDENTIFIER + ")*)\\.)?(" + IDENTIFIER + ")(\\((?:" + FIELD_TYPE
            + ")*\\)(?:V|" + FIELD_TYPE + ")?)?)(?:#([1-9][0-9]{0,8}))?");
    private static final Pattern FIELD = Pattern.compile("(before|after)=field:(?:(" + IDENTIFIER + "(?:[./$]"
            + IDENTIFIER + ")*)\\.)?(" + IDENTIFIER + ")(?:#([1-9][0-9]{0,8}))?");
    private static final Pattern LINE = Pattern.compile("line=([1-9][0-9]{0,8})");

    /** Parses a position; a malformed one throws with a one-line message listing the forms. */
    public static Position parse(String text) {
        String p = text.strip();
        if (p.equals("entry")) {
            return ENTRY;
        }
        if (p.equals("exit")) {
            return EXIT;
        }
        Matcher line = LINE.matcher(p);
        if (line.matches()) {
            return new Position(Kind.LINE, Integer.parseInt(line.group(1)), "", "", "", 0);
        }
        Matcher field = FIELD.matcher(p);
        if (field.matches()) {
            return new Position(field.group(1).equals("before") ? Kind.BEFORE_FIELD : Kind.AFTER_FIELD, 0,
                    field.group(2) == null ? "" : field.group(2).replace('/', '.'), field.group(3), "",
                    field.group(4) == null ? 0 : Integer.parseInt(field.group(4)));
        }
        Matcher m = AROUND.matcher(p);
        if (!m.matches()) {
            throw new IllegalArgumentException("bad position '" + p + "': expected " + FORM);
        }
        boolean before = m.group(1).equals("before");
        int ordinal = m.group(6) == null ? 0 : Integer.parseInt(m.group(6));
        if (m.group(2) != null) {
            return new Position(before ? Kind.BEFORE_SYNC : Kind.AFTER_SYNC, 0, "", "", "", ordinal);
        }
        String owner = m.group(3) == null ? "" : m.group(3).replace('/', '.');
        return new Position(before ? Kind.BEFORE_CALL : Kind.AFTER_CALL, 0, owner, m.group(4),
                m.group(5) == null ? "" : m.group(5), ordinal);
    }

    boolean isEntry() {
        return kind == Kind.ENTRY;
    }

    boolean isCall() {
        return kind == Kind.BEFORE_CALL || kind == Kind.AFTER_CALL;
    }

    boolean isSync() {
        return kind == Kind.BEFORE_SYNC || kind == Kind.AFTER_SYNC;
    }

    boolean isField() {
        return kind == Kind.BEFORE_FIELD || kind == Kind.AFTER_FIELD;
    }

    /** Whether a getfield or getstatic instruction reads this position's field. */
    boolean matchesField(String ownerInternalName, String name) {
        return callee.equals(name) && ownerMatches(ownerInternalName);
    }

    /** Whether an invoke instruction calls this position's callee. */
    boolean matchesCall(String ownerInternalName, String name, String desc) {
        return callee.equals(name) && desc.startsWith(descriptor) && ownerMatches(ownerInternalName);
    }

    private boolean ownerMatches(String internalName) {
        if (owner.isEmpty()) {
            return true;
        }
        String binary = internalName.replace('/', '.');
        if (binary.equals(owner) || binary.replace('$', '.').equals(owner)) {
            return true;
        }
        String simple = binary.substring(binary.lastIndexOf('.') + 1);
        return simple.equals(owner) || simple.substring(simple.lastIndexOf('$') + 1).equals(owner)
                || simple.replace('$', '.').equals(owner) || binary.endsWith("." + owner.replace('.', '$'));
    }

    /** How a site is named after its method: {@code ""} at entry, {@code :1088} at a line, {@code :exit}, ... */
    String siteSuffix() {
        return switch (kind) {
            case ENTRY -> "";
            case LINE -> ":" + line;
            default -> ":" + this;
        };
    }

    /** The position as it is written in a declaration. */
    @Override
    public String toString() {
        String k = ordinal == 0 ? "" : "#" + ordinal;
        return switch (kind) {
            case ENTRY -> "entry";
            case EXIT -> "exit";
            case LINE -> "line=" + line;
            case BEFORE_SYNC -> "before=synchronized" + k;
            case AFTER_SYNC -> "after=synchronized" + k;
            case BEFORE_FIELD, AFTER_FIELD -> (kind == Kind.BEFORE_FIELD ? "before=field:" : "after=field:")
                    + (owner.isEmpty() ? "" : owner + ".") + callee + k;
            case BEFORE_CALL, AFTER_CALL -> (kind == Kind.BEFORE_CALL ? "before=" : "after=")
                    + (owner.isEmpty() ? "" : owner + ".") + callee + descriptor + k;
        };
    }
}
