package dev.jfail.tooling;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code auto@CLASS} or {@code auto@PACKAGE.*}: points, off, at every place of those classes where a
 * thread's timing decides what another thread sees ({@link AutoPoints} says which). {@code CLASS}
 * covers the class and its nested classes; {@code PACKAGE.*} the package and its subpackages.
 *
 * @param name      the class or package as written, {@code com.acme.Pool} or {@code com.acme.pool}
 * @param isPackage whether it ended in {@code .*}
 */
public record AutoDeclaration(String name, boolean isPackage) implements Declaration {

    public static final String FORM = "auto@CLASS or auto@PACKAGE.*";
    static final String PREFIX = "auto@";

    private static final String IDENTIFIER = "[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*";
    private static final Pattern SPEC = Pattern.compile("auto@(" + IDENTIFIER + "(?:[./]" + IDENTIFIER + ")*)(\\.\\*)?");

    /** Whether {@code text} is meant as an automatic declaration: {@code auto@} and no {@code #METHOD}. */
    static boolean looksAutomatic(String text) {
        String s = text.strip();
        return s.startsWith(PREFIX) && s.indexOf('#') < 0;
    }

    static AutoDeclaration parse(String text) {
        String spec = text.strip();
        Matcher m = SPEC.matcher(spec);
        if (!m.matches()) {
            throw new IllegalArgumentException("bad automatic declaration '" + spec + "': expected " + FORM
                    + ", e.g. auto@com.acme.Pool or auto@com.acme.pool.*");
        }
        return new AutoDeclaration(m.group(1).replace('/', '.'), m.group(2) != null);
    }

    /** Whether the class {@code internalName} ({@code com/acme/Pool$Entry}) is one of those covered. */
    boolean covers(String internalName) {
        int n = name.length();
        if (internalName.length() <= n && !(internalName.length() == n && !isPackage)) {
            return false;
        }
        for (int i = 0; i < n; i++) { // no copy of either name: this runs for every class the JVM loads
            char c = name.charAt(i);
            if (internalName.charAt(i) != (c == '.' ? '/' : c)) {
                return false;
            }
        }
        if (internalName.length() == n) {
            return true;
        }
        return internalName.charAt(n) == (isPackage ? '/' : '$');
    }

    @Override
    public String toString() {
        return PREFIX + name + (isPackage ? ".*" : "");
    }
}
