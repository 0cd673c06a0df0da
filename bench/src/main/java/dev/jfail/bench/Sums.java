package dev.jfail.bench;

/** The loops {@link PositionBench} measures, behind an interface so one body can be loaded from two class file versions. */
public interface Sums {

    /** No point anywhere. */
    int plain(int[] values);

    /** A point declared at the line of the loop's body ({@link Loops#BODY_LINE}). */
    int line(int[] values);

    /** A point declared at the method's exit. */
    int exit(int[] values);
}
