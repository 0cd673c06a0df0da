package dev.jfail.kernel.race;

import dev.jfail.kernel.kern.Kernel;

import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * What every race of the model shares: its description, declared once, and a run: boot the race's
 * kernel with the variant's patches, set up its workload, wait for it, judge ({@link RaceRun}). A
 * race says only which kernel it boots and what its workload is.
 */
abstract class ModelRace implements Race {

    private final RaceInfo info;
    private final Function<Map<String, String>, Kernel.Config> kernel;
    private final BiFunction<Kernel, Map<String, String>, RaceRun.Workload> workload;

    /**
     * A race described by {@code info}, which boots {@code kernel} for a run's parameters (before
     * the variant's patches) and sets up {@code workload} on it.
     */
    ModelRace(RaceInfo info, Function<Map<String, String>, Kernel.Config> kernel,
              BiFunction<Kernel, Map<String, String>, RaceRun.Workload> workload) {
        this.info = info;
        this.kernel = kernel;
        this.workload = workload;
    }

    @Override
    public final RaceInfo info() {
        return info;
    }

    @Override
    public final RunResult runOnce(String variant, RunContext ctx) {
        Variant v = variant(variant);
        Map<String, String> params = ctx.params();
        return RaceRun.run(kernel.apply(params), v, context(ctx), k -> workload.apply(k, params));
    }

    /** The run's context as the kernel gets it (a race may turn parameters into tunables). */
    RunContext context(RunContext ctx) {
        return ctx;
    }
}
