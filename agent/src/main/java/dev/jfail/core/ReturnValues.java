package dev.jfail.core;

/**
 * Which {@code return(n)} a method can honour, and the value it then returns. The one place that
 * decides both, so the check made when a setting is stored and the conversion the agent makes at
 * run time never disagree.
 *
 * <ul>
 * <li>{@code int}, {@code long}, {@code short}, {@code byte}, {@code char} and their boxes: n, if it fits;</li>
 * <li>{@code boolean}, {@code Boolean}: {@code n != 0}, any n;</li>
 * <li>{@code float}, {@code double} and their boxes: n, any n;</li>
 * <li>{@code void} (and {@code Void}): returns at once, any n;</li>
 * <li>any other reference type: refused.</li>
 * </ul>
 */
public final class ReturnValues {

    private ReturnValues() {
    }

    /** Why a method returning {@code returnType} cannot return n, or null when it can. */
    public static String problem(String returnType, long n) {
        switch (returnType) {
            case "void": case "java.lang.Void":
            case "boolean": case "java.lang.Boolean":
            case "long": case "java.lang.Long":
            case "float": case "java.lang.Float":
            case "double": case "java.lang.Double":
                return null;
            case "int": case "java.lang.Integer":
                return range(returnType, n, Integer.MIN_VALUE, Integer.MAX_VALUE);
            case "short": case "java.lang.Short":
                return range(returnType, n, Short.MIN_VALUE, Short.MAX_VALUE);
            case "byte": case "java.lang.Byte":
                return range(returnType, n, Byte.MIN_VALUE, Byte.MAX_VALUE);
            case "char": case "java.lang.Character":
                return range(returnType, n, Character.MIN_VALUE, Character.MAX_VALUE);
            default:
                return "it returns " + returnType + ", which return(n) cannot make"
                        + " (only numbers, boolean, char and void)";
        }
    }

    private static String range(String type, long n, long min, long max) {
        return n >= min && n <= max ? null : "it returns " + type + ", which holds " + min + " to " + max;
    }

    public static boolean canReturn(String returnType, long n) {
        return problem(returnType, n) == null;
    }

    static String message(Site site, long n, String problem) {
        return "return(" + n + ") cannot be honoured by " + site.method() + ": " + problem;
    }

    /**
     * n as a value of {@code returnType}, boxed ({@code Integer} for {@code int}, {@code Boolean}
     * for {@code boolean}, ...); null for {@code void}. Throws {@link IllegalArgumentException}
     * when the type cannot take n.
     */
    public static Object convert(String returnType, long n) {
        String problem = problem(returnType, n);
        if (problem != null) {
            throw new IllegalArgumentException("return(" + n + "): " + problem);
        }
        switch (returnType) {
            case "boolean": case "java.lang.Boolean": return n != 0;
            case "int": case "java.lang.Integer": return (int) n;
            case "long": case "java.lang.Long": return n;
            case "short": case "java.lang.Short": return (short) n;
            case "byte": case "java.lang.Byte": return (byte) n;
            case "char": case "java.lang.Character": return (char) n;
            case "float": case "java.lang.Float": return (float) n;
            case "double": case "java.lang.Double": return (double) n;
            default: return null; // void, Void
        }
    }

    /** {@link #convert(String, long)} for a {@link Class}, e.g. {@code int.class} or {@code Long.class}. */
    public static Object convert(Class<?> returnType, long n) {
        return convert(returnType.getName(), n);
    }
}
