package dev.jfail.core;

/**
 * What an evaluated failpoint asks of the method that carries it. Sleep, delay, yield, pause,
 * print and break are carried out inside the evaluation; only these two need the caller.
 */
public sealed interface Outcome {

    /** Nothing fired, or what fired is done: run the method as usual. */
    Outcome PROCEED = new Proceed();

    /** {@code return(n)}: the method must return {@code value}, converted to its return type. */
    record Return(long value) implements Outcome {
    }

    /**
     * {@code panic}: the method must throw, with this message ("fail point NAME panicking"): an
     * exception of class {@code thrown} ({@code panic(CLASS)}), or of the point's own when null.
     */
    record Panic(String message, String thrown) implements Outcome {
        public Panic(String message) {
            this(message, null);
        }
    }

    /** See {@link #PROCEED}. */
    final class Proceed implements Outcome {
        private Proceed() {
        }

        @Override
        public String toString() {
            return "proceed";
        }
    }
}
