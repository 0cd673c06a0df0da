package dev.jfail.junit;

/** A class nobody annotated: its points come from declarations alone. */
final class Plain {

    private int calls;

    int value() {
        calls++;
        return 40 + (calls > 0 ? 1 : 0);
    }

    synchronized int guarded() {
        return value();
    }
}
