package dev.jfail.bench;

import dev.jfail.FailPoints;
import dev.jfail.agent.JFailAgent;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.Opcodes;
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

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * What an off point inside a method costs: one hot loop ({@link Loops}) without a point, with a
 * point declared at the line of its body ({@code line=N}, evaluated on every turn) and with one at
 * its exit, side by side; and the same three on the loop rewritten as a Java 1.4 class file, which
 * gets the check without invokedynamic. The points are declared at run time, as {@code --declare}
 * would, and checked to be in place before measuring.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class PositionBench {

    private static final String LOOPS = Loops.class.getName();

    /** The loops, instrumented, from a Java 17 class file and from a Java 1.4 one. */
    @State(Scope.Benchmark)
    public static class Code {
        Sums modern;
        Sums legacy;
        final int[] values = new Random(42).ints(1024, 0, 1000).toArray();

        @Setup(Level.Trial)
        public void declare() throws ReflectiveOperationException {
            modern = new Loops();
            JFailAgent.declare("bench_line@" + LOOPS + "#line:line=" + Loops.BODY_LINE
                    + ",bench_exit@" + LOOPS + "#exit:exit");
            legacy = (Sums) java14(LOOPS).getDeclaredConstructor().newInstance();
            inPlace(modern);
            inPlace(legacy);
        }

        /** {@code className} again, rewritten as a Java 1.4 class file (version 48, no stack map frames). */
        private static Class<?> java14(String className) {
            return new RewrittenClass().define(className, className, writer -> new ClassVisitor(Opcodes.ASM9, writer) {
                @Override
                public void visit(int version, int access, String name, String signature, String superName,
                                  String[] interfaces) {
                    super.visit(Opcodes.V1_4, access, name, signature, superName, interfaces);
                }
            }, ClassReader.SKIP_FRAMES);
        }

        /** Each point fires where declared: once per element in the body, once at the exit. */
        private static void inPlace(Sums sums) {
            FailPoints.reset();
            FailPoints.set("bench_line", "yield");
            sums.line(new int[5]);
            FailPoints.set("bench_exit", "return(-1)");
            if (FailPoints.status("bench_line").fired("yield") != 5 || sums.exit(new int[5]) != -1) {
                throw new IllegalStateException("the points are not in place in " + sums.getClass().getClassLoader()
                        + ": run the forks with -javaagent:jfail-agent.jar");
            }
            FailPoints.reset();
        }
    }

    @Benchmark
    public int plain(Code code) {
        return code.modern.plain(code.values);
    }

    @Benchmark
    public int lineInLoop(Code code) {
        return code.modern.line(code.values);
    }

    @Benchmark
    public int exit(Code code) {
        return code.modern.exit(code.values);
    }

    @Benchmark
    public int java14Plain(Code code) {
        return code.legacy.plain(code.values);
    }

    @Benchmark
    public int java14LineInLoop(Code code) {
        return code.legacy.line(code.values);
    }

    @Benchmark
    public int java14Exit(Code code) {
        return code.legacy.exit(code.values);
    }
}
