package dev.jfail.kernel.race;

import dev.jfail.kernel.kern.KThread;
import dev.jfail.kernel.kern.Kernel;
import dev.jfail.kernel.kern.KernelPanic;
import dev.jfail.kernel.kern.KernelStopped;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Runs a race's workload once on a fresh kernel and turns how it ended into a {@link RunResult}:
 * the first panic, oops or deadlock; a TIMEOUT (with the stuck threads' stacks) if the workload
 * did not finish in time; DATA_LOSS if the workload's final check finds lost data; else SURVIVED.
 * Every kernel thread is stopped before it returns.
 */
public final class RaceRun {

    /** What a race's setup hands back: the threads to wait for, and the final check. */
    public interface Workload {
        List<KThread> threads();

        /** After the threads finished without a fatal event: a description of lost data, if any. */
        default Optional<String> finalCheck() {
            return Optional.empty();
        }

        /** The workload of {@code threads}, judged at the end by {@code finalCheck}. */
        static Workload of(List<KThread> threads, java.util.function.Supplier<Optional<String>> finalCheck) {
            return new Workload() {
                @Override
                public List<KThread> threads() {
                    return threads;
                }

                @Override
                public Optional<String> finalCheck() {
                    return finalCheck.get();
                }
            };
        }
    }

    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(2);

    private RaceRun() {
    }

    /**
     * Boots a kernel with {@code config}, the variant's patches, and the time limit, tunables and
     * seed of {@code ctx}; runs {@code setup}'s workload.
     */
    public static RunResult run(Kernel.Config config, Variant variant, RunContext ctx, Function<Kernel, Workload> setup) {
        return run(config.patched(variant.patches().toArray(String[]::new)), ctx, setup);
    }

    /** Boots a kernel with {@code config} (time limit, tunables and seed from {@code ctx}), runs {@code setup}'s workload. */
    public static RunResult run(Kernel.Config config, RunContext ctx, Function<Kernel, Workload> setup) {
        long start = System.nanoTime();
        Kernel k = new Kernel(config.timeLimit(ctx.timeLimit()).tunables(ctx.params()).seed(ctx.seed()));
        String extra = "";
        RunResult.Kind kind;
        try {
            Workload w;
            try {
                w = setup.apply(k);
            } catch (KernelPanic | KernelStopped e) {
                w = List::of;
            }
            boolean done = k.join(w.threads(), ctx.timeLimit());
            if (k.fatal() == null && !done) {
                k.timeout(ctx.timeLimit());
            }
            Kernel.Fatal fatal = k.fatal();
            if (fatal != null) {
                kind = switch (fatal.kind()) {
                    case PANIC -> RunResult.Kind.PANIC;
                    case OOPS -> RunResult.Kind.OOPS;
                    case DEADLOCK -> RunResult.Kind.DEADLOCK;
                    case TIMEOUT -> RunResult.Kind.TIMEOUT;
                };
            } else {
                Optional<String> loss;
                try {
                    loss = w.finalCheck();
                } catch (KernelPanic | KernelStopped e) {
                    loss = Optional.of("the final check itself failed: " + e.getMessage());
                }
                kind = loss.isPresent() ? RunResult.Kind.DATA_LOSS : RunResult.Kind.SURVIVED;
                extra = loss.map(RaceRun::modelLines).orElse("");
            }
        } finally {
            List<KThread> left = k.shutdown(SHUTDOWN_GRACE);
            if (!left.isEmpty()) {
                extra += modelLines("threads left behind: " + String.join(", ", left.stream().map(KThread::label).toList()));
            }
        }
        return new RunResult(kind, k.console() + extra, Duration.ofNanos(System.nanoTime() - start));
    }

    /** The workload's final check and the runner's notes are the model's: each line says so ("model: "). */
    static String modelLines(String text) {
        StringBuilder sb = new StringBuilder();
        text.lines().forEach(l -> sb.append(l.startsWith("model: ") ? l : "model: " + l).append('\n'));
        return sb.toString();
    }
}
