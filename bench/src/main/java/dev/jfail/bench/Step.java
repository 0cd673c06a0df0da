package dev.jfail.bench;

/** One step of a workload, behind an interface so that one body can be loaded as two classes ({@link AutoPointBench}). */
public interface Step {

    int step(int value);
}
