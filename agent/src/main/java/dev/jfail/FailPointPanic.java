package dev.jfail;

/** Thrown by the {@code panic} action of a failpoint that names no exception type of its own. */
public class FailPointPanic extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * A panic with {@code message}, {@code "fail point NAME panicking"} when a failpoint throws it.
     *
     * @param message what the panic says
     */
    public FailPointPanic(String message) {
        super(message);
    }
}
