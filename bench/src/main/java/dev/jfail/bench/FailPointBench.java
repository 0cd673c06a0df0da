package dev.jfail.bench;

import dev.jfail.FailPoints;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * What a failpoint costs, side by side: the same method uninstrumented, instrumented and off, set to
 * {@code 0%return(1)} (normalised to off), to {@code 0.0001%return(1)} (armed: a probability roll
 * on every call, almost never firing), to {@code 50%return(1)}, and that last from 1, 2 and 4 threads
 * on one point, next to the uninstrumented method from 2 and 4 threads (the machine's own scaling,
 * to tell contention from a lack of cores). Run with the agent: {@link BenchMain} adds
 * {@code -javaagent} to every fork.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class FailPointBench {

    /** Per-thread input, so the JIT cannot fold the method's result. */
    @State(Scope.Thread)
    public static class Input {
        int x = 17;
    }

    /** The settings, made once per fork, after checking that the agent did instrument {@link Work}. */
    @State(Scope.Benchmark)
    public static class Points {
        @Setup(Level.Trial)
        public void set() {
            Work.off(0); // load and instrument
            if (!FailPoints.status("bench_off").declared()) {
                throw new IllegalStateException("Work is not instrumented: run the forks with -javaagent:jfail-agent.jar");
            }
            FailPoints.set("bench_zero", "0%return(1)");
            FailPoints.set("bench_rare", "0.0001%return(1)");
            FailPoints.set("bench_half", "50%return(1)");
            FailPoints.set("bench_half_shared", "50%return(1)");
        }
    }

    @Benchmark
    public int uninstrumented(Input in) {
        return Work.uninstrumented(in.x);
    }

    @Benchmark
    public int off(Input in, Points points) {
        return Work.off(in.x);
    }

    @Benchmark
    public int zeroPercentReturn(Input in, Points points) {
        return Work.zeroPercent(in.x);
    }

    @Benchmark
    public int rareReturn(Input in, Points points) {
        return Work.rare(in.x);
    }

    @Benchmark
    public int halfReturn(Input in, Points points) {
        return Work.half(in.x);
    }

    @Benchmark
    @Threads(1)
    public int halfReturnThreads1(Input in, Points points) {
        return Work.halfShared(in.x);
    }

    @Benchmark
    @Threads(2)
    public int halfReturnThreads2(Input in, Points points) {
        return Work.halfShared(in.x);
    }

    @Benchmark
    @Threads(4)
    public int halfReturnThreads4(Input in, Points points) {
        return Work.halfShared(in.x);
    }

    /** Control: how much 2 threads slow each other on this machine when they share nothing. */
    @Benchmark
    @Threads(2)
    public int uninstrumentedThreads2(Input in) {
        return Work.uninstrumented(in.x);
    }

    /** Control: 4 threads sharing nothing (more threads than this machine may have cores). */
    @Benchmark
    @Threads(4)
    public int uninstrumentedThreads4(Input in) {
        return Work.uninstrumented(in.x);
    }
}
