package dev.jfail.bench;

/**
 * Three copies of one hot loop; {@link PositionBench} declares points inside two of them at run
 * time. Also loaded rewritten as a Java 1.4 class file (no invokedynamic there), so no lambdas,
 * string concatenation or class literals here.
 */
public class Loops implements Sums {

    /** The line of {@link #line}'s loop body; {@link PositionBench} checks that a point there runs once per element. */
    static final int BODY_LINE = 26;

    @Override
    public int plain(int[] values) {
        int sum = 0;
        for (int i = 0; i < values.length; i++) {
            sum += values[i] * 31 + 7;
        }
        return sum;
    }

    @Override
    public int line(int[] values) {
        int sum = 0;
        for (int i = 0; i < values.length; i++) {
            sum += values[i] * 31 + 7;
        }
        return sum;
    }

    @Override
    public int exit(int[] values) {
        int sum = 0;
        for (int i = 0; i < values.length; i++) {
            sum += values[i] * 31 + 7;
        }
        return sum;
    }
}
