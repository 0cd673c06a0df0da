package dev.jfail.kernel.race;

import dev.jfail.kernel.kern.Kernel;

import java.util.Map;

/**
 * What every race of the model shares: its description, declared once, and a run: boot the race's
 * kernel with the variant's patches, set up its workload, wait for it, judge ({@link RaceRun}). A
 * race says only which kernel it boots and what its workload is.
 */
abstract class ModelRace implements Race {

    private final RaceInfo info;

    ModelRace(RaceInfo info) {
        this.info = info;
    }

    @Override
    public final RaceInfo info() {
        return info;
    }

    @Override
    public final RunResult runOnce(String variant, RunContext ctx) {
        Variant v = variant(variant);
        Map<String, String> params = ctx.params();
        return RaceRun.run(kernel(params), v, context(ctx), k -> setUp(k, params));
    }

    /** The kernel this race boots, before the variant's patches. */
    abstract Kernel.Config kernel(Map<String, String> params);

    /** One run's workload, set up on a freshly booted kernel. */
    abstract RaceRun.Workload setUp(Kernel k, Map<String, String> params);

    /** The run's context as the kernel gets it (a race may turn parameters into tunables). */
    RunContext context(RunContext ctx) {
        return ctx;
    }
}
