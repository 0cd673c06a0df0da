package dev.jfail.tooling;

import dev.jfail.core.FailPointRegistry;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A failpoint declared from configuration on a method the user cannot annotate:
 * {@code NAME@CLASS#METHOD[DESCRIPTOR][:POSITION]}, e.g. {@code slow_fetch@com.foo.Client#fetch},
 * {@code parse_fail@com.foo.Parser#parse(Ljava/lang/String;)I:exit} or
 * {@code gap@com.acme.Pool#borrow:line=1088}. Without a descriptor every method of that name is a
 * site; a descriptor may stop after its parameter list, {@code (Ljava/lang/String;)}. The
 * {@link Position} is the method's entry unless given.
 *
 * @param name       the failpoint's name
 * @param className  binary class name, {@code com.foo.Bar$Inner}
 * @param methodName the method's name
 * @param descriptor JVM descriptor or its parameter part, or {@code ""} for any
 * @param position   where in the method
 */
public record PointDeclaration(String name, String className, String methodName, String descriptor, Position position)
        implements Declaration {

    public static final String FORM = "NAME@CLASS#METHOD[(DESCRIPTOR)][:POSITION]";
    public static final String EXAMPLE = "slow_fetch@com.foo.Client#fetch(Ljava/lang/String;)";

    /** A declaration at the method's entry. */
    public PointDeclaration(String name, String className, String methodName, String descriptor) {
        this(name, className, methodName, descriptor, Position.ENTRY);
    }

    private static final String IDENTIFIER = "[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*";
    private static final String FIELD_TYPE = "\\[*(?:[BCDFIJSZ]|L[^;.\\[()]+;)";
    private static final Pattern SPEC = Pattern.compile(
            "([A-Za-z0-9_.$-]+)@(" + IDENTIFIER + "(?:[./]" + IDENTIFIER + ")*)#(" + IDENTIFIER + ")"
                    + "(\\((?:" + FIELD_TYPE + ")*\\)(?:V|" + FIELD_TYPE + ")?)?(?::(.*))?");

    /** Parses one spec; a malformed one throws with a one-line message naming the expected form. */
    public static PointDeclaration parse(String text) {
        String spec = text.strip();
        Matcher m = SPEC.matcher(spec);
        if (!m.matches()) {
            throw new IllegalArgumentException("bad failpoint declaration '" + spec + "': expected "
                    + FORM + ", e.g. " + EXAMPLE);
        }
        String name;
        try {
            name = FailPointRegistry.canonicalName(m.group(1));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad failpoint declaration '" + spec + "': " + e.getMessage());
        }
        String descriptor = m.group(4) == null ? "" : m.group(4);
        Position position;
        try {
            position = m.group(5) == null ? Position.ENTRY : Position.parse(m.group(5));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad failpoint declaration '" + spec + "': " + e.getMessage());
        }
        return new PointDeclaration(name, m.group(2).replace('/', '.'), m.group(3), descriptor, position);
    }

    /** Whether this spec looks like a declaration rather than a {@code name=setting} entry. */
    public static boolean looksLikeDeclaration(String entry) {
        int at = entry.indexOf('@');
        int eq = entry.indexOf('=');
        return at > 0 && (eq < 0 || at < eq);
    }

    /** The class name as the JVM writes it internally, {@code com/foo/Bar}. */
    String internalClassName() {
        return className.replace('.', '/');
    }

    /** Whether a method of the named class, with this name and descriptor, is one of the sites. */
    boolean matches(String method, String methodDescriptor) {
        return methodName.equals(method) && methodDescriptor.startsWith(descriptor);
    }

    @Override
    public String toString() {
        return name + "@" + className + "#" + methodName + descriptor + (position.isEntry() ? "" : ":" + position);
    }
}
