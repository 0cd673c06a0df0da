package dev.jfail.bench;

import dev.jfail.FailPoints;
import dev.jfail.agent.JFailAgent;
import dev.jfail.core.RuntimeDeclarations;
import net.bytebuddy.jar.asm.commons.ClassRemapper;
import net.bytebuddy.jar.asm.commons.SimpleRemapper;
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
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * What a class full of automatic points costs while they are off: {@link Guarded} with
 * {@code auto@dev.jfail.bench.Guarded} declared (every point it gets, checked to be in place)
 * against the same class file renamed {@code GuardedTwin}, which no declaration covers.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class AutoPointBench {

    private static final String GUARDED = Guarded.class.getName();

    @State(Scope.Benchmark)
    public static class Code {
        Step automatic;
        Step uninstrumented;
        int value = 42;

        @Setup(Level.Trial)
        public void declare() throws ReflectiveOperationException {
            String internal = GUARDED.replace('.', '/');   // Guarded's class file again, as GuardedTwin
            uninstrumented = (Step) new RewrittenClass().define(GUARDED, GUARDED + "Twin",
                    writer -> new ClassRemapper(writer, new SimpleRemapper(internal, internal + "Twin")), 0)
                    .getDeclaredConstructor().newInstance();
            JFailAgent.declare("auto@" + GUARDED);
            automatic = new Guarded();
            int points = RuntimeDeclarations.automaticPoints().size();
            FailPoints.set("Guarded.step.entry", "return(-7)");
            if (points < 20 || automatic.step(1) != -7 || uninstrumented.step(1) == -7) {
                throw new IllegalStateException("the automatic points are not in place (" + points
                        + "): run the forks with -javaagent:jfail-agent.jar");
            }
            FailPoints.reset();
            System.out.println("automatic points in Guarded: " + points);
        }
    }

    @Benchmark
    public int uninstrumented(Code code) {
        return code.uninstrumented.step(code.value);
    }

    @Benchmark
    public int automaticPoints(Code code) {
        return code.automatic.step(code.value);
    }
}
