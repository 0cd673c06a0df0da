package dev.jfail.kernel.runner;

import dev.jfail.explore.Strategy;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/** What the explorer should try on the kernel model: the runner's default, and what a spec that explores a race passes. */
public final class ModelExploration {

    /**
     * Every strategy but exceptions: a kernel has no exceptions, so a panic a model's point throws is
     * fatal by design and its unwinding panics again (a lock "not held") in any variant, buggy or
     * fixed; the model's errors are {@code return(n)}.
     */
    public static final Set<Strategy> STRATEGIES = Collections.unmodifiableSet(EnumSet.complementOf(EnumSet.of(Strategy.EXCEPTIONS)));

    private ModelExploration() {
    }
}
