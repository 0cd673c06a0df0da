package dev.jfail.kernel.race;

import java.util.List;
import java.util.Map;

/**
 * One real kernel race, playable in the model: what it is ({@link #info}, declared once) and one
 * run of its workload on a fresh kernel. Failpoints are not set by {@link #runOnce}: the caller
 * (the runner, a spec) sets them.
 */
public interface Race {

    RaceInfo info();

    /**
     * A fresh kernel booted with the variant's patches, the workload once, the outcome. Returns
     * within {@code ctx.timeLimit()} (plus a little) whatever happens, and leaves no kernel thread
     * behind.
     *
     * @throws IllegalArgumentException for an unknown variant or a bad parameter
     */
    RunResult runOnce(String variant, RunContext ctx);

    /** What users type: "collapse", "swapoff", "uvn", "md-bitmap", "sendfile". */
    default String id() {
        return info().id();
    }

    default String title() {
        return info().title();
    }

    /** History order: buggy first, the committed (or the project's) fix last. */
    default List<Variant> variants() {
        return info().variants();
    }

    default Variant variant(String name) {
        return info().variant(name);
    }

    /** The failpoint settings the race is played with by default, and whose they are. */
    default Settings settings() {
        return info().settings();
    }

    default List<Param> params() {
        return info().params();
    }

    /**
     * Checks {@code params} before any run: each known, a number, in bounds, and whatever else
     * the race requires of them together; the first bad one is an IllegalArgumentException.
     */
    default void checkParams(Map<String, String> params) {
        info().checkParams(params);
    }
}
