package dev.jfail.junit;

/** Like {@link Plain}, but loaded only by the test that declares its points (never before). */
final class PlainLate {

    private int value = 7; // a field it reads: state automatic points care for

    int value() {
        return value;
    }
}
