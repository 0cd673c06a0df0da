package dev.jfail;

/** Thrown by the {@code panic} action of a failpoint that names no exception type of its own. */
public class FailPointPanic extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public FailPointPanic(String message) {
        super(message);
    }
}
