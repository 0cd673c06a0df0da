package dev.jfail.junit;

/** Like {@link Plain}, but loaded only by the test that declares its points (never before). */
final class PlainLate {

    int value() {
        return 7;
    }
}
