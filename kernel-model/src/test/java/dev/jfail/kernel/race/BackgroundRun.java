package dev.jfail.kernel.race;

import dev.jfail.kernel.kern.KThread;
import dev.jfail.kernel.kern.Kernel;
import org.awaitility.Awaitility;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;


/**
 * One run of a race on a thread of its own, so that the test can hold and release the run's
 * threads at failpoints ({@code FailPoints.holdAt}) and watch its kernel while it runs.
 */
final class BackgroundRun {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final AtomicReference<Kernel> kernel = new AtomicReference<>();
    private final CompletableFuture<RunResult> result = new CompletableFuture<>();

    private BackgroundRun() {
    }

    /** Starts {@link RaceRun#run(Kernel.Config, RunContext, Function)} on a thread named {@code name}. */
    static BackgroundRun start(String name, Kernel.Config config, RunContext ctx, Function<Kernel, RaceRun.Workload> setup) {
        BackgroundRun run = new BackgroundRun();
        Thread t = new Thread(() -> {
            try {
                run.result.complete(RaceRun.run(config, ctx, k -> {
                    run.kernel.set(k);
                    return setup.apply(k);
                }));
            } catch (Throwable e) {
                run.result.completeExceptionally(e);
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return run;
    }

    /** The run's kernel, once booted. */
    Kernel kernel() {
        Awaitility.await().atMost(PATIENCE).until(() -> kernel.get() != null || result.isDone());
        Kernel k = kernel.get();
        if (k == null) {
            throw new AssertionError("the run ended before it booted: " + result.join());
        }
        return k;
    }

    /** The run's thread named {@code name}, if it has been started. */
    Optional<KThread> thread(String name) {
        return kernel().threads().stream().filter(t -> t.td_name().equals(name)).findFirst();
    }

    /** Whether the run's thread {@code name} has been started and has exited. */
    boolean exited(String name) {
        return thread(name).map(KThread::exited).orElse(false);
    }

    /** Whether the kernel has stopped (a panic, an oops, a deadlock) or the run is over. */
    boolean stopped() {
        return result.isDone() || kernel().stopped();
    }

    /** Waits (bounded) for the run's result. */
    RunResult await() {
        try {
            return result.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for the run", e);
        } catch (ExecutionException e) {
            throw new AssertionError("the run threw", e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("the run did not end within " + PATIENCE.toSeconds() + " s");
        }
    }
}
