package dev.jfail.agent;

/**
 * How {@code return(n)} leaves a method from a point inside it (a line, a call, a synchronized
 * block): thrown at the point and caught by a handler the agent adds around the whole method, which
 * returns the value. It travels like a {@code return} statement placed there would: {@code finally}
 * blocks run and synchronized blocks release their monitors on the way; only code that catches
 * {@code Throwable} or {@code Error} between the point and the method's end would see it.
 * Public because instrumented code names it; not an API for anyone else.
 */
public final class ForcedReturn extends Error {

    private static final long serialVersionUID = 1L;

    private final transient Object value;

    ForcedReturn(Object value, String point) {
        super("jfail: return forced by fail point " + point, null, false, false);
        this.value = value;
    }

    /** The boxed value the method returns (null for a method without a value). */
    public Object value() {
        return value;
    }
}
