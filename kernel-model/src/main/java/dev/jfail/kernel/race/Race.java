package dev.jfail.kernel.race;

import java.util.List;
import java.util.Map;

/**
 * One real kernel race, playable in the model: its variants in history order (buggy first, the
 * fix last), the failpoint settings of its seed document, and one run of its workload on a fresh
 * kernel. Failpoints are not set by {@link #runOnce}: the caller (the runner, a spec) sets them.
 */
public interface Race {

    /** What users type: "collapse", "swapoff", "uvn", "md-bitmap", "sendfile". */
    String id();

    /** E.g. "vm_object_collapse vs vm_fault (FreeBSD D4103, fixed r291576)". */
    String title();

    /** History order: buggy first, the committed (or our) fix last. */
    List<Variant> variants();

    /** RACES.md's failpoints of this race to the seed's settings, in order. */
    Map<String, String> seedFailpoints();

    /**
     * A fresh kernel, the workload once, the outcome. Returns within {@code ctx.timeLimit()} (plus
     * a little) whatever happens, and leaves no kernel thread behind.
     *
     * @throws IllegalArgumentException for an unknown variant or a bad parameter
     */
    RunResult runOnce(String variant, RunContext ctx);

    /** The parameters {@link RunContext#params()} may set, to their defaults and meaning. */
    default Map<String, String> params() {
        return Map.of();
    }

    /** The variant called {@code name}. */
    default Variant variant(String name) {
        return variants().stream().filter(v -> v.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("race " + id() + " has no variant '" + name
                        + "'; variants: " + String.join(", ", variants().stream().map(Variant::name).toList())));
    }
}
