package dev.jfail.core;

/** CONTRACT (implemented by the foundation): which {@code return(n)} a method can honour, and the value it returns. */
public final class ReturnValues {

    private ReturnValues() {
    }

    /**
     * n as a value of {@code returnType}, boxed ({@code Integer} for {@code int}, ...); null for
     * {@code void}. Throws {@link IllegalArgumentException} when the type cannot take n.
     */
    public static Object convert(String returnType, long n) {
        throw new UnsupportedOperationException("foundation");
    }
}
