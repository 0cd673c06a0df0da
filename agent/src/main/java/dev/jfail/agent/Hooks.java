package dev.jfail.agent;

import dev.jfail.core.Outcome;

/**
 * What instrumented code calls once a failpoint is armed (the slow path). Public because the
 * calls are inlined into the application's classes; not an API for anyone else.
 */
public final class Hooks {

    private Hooks() {
    }

    /**
     * Evaluates the point of a method that returns a value: the boxed value it must return, or
     * null to run as usual. Throws the point's panic exception.
     */
    public static Object valueFor(int site) {
        SiteBinding binding = Sites.get(site);
        Outcome outcome = evaluate(binding);
        if (outcome instanceof Outcome.Return r) {
            return binding.returnValue(r.value());
        }
        if (outcome instanceof Outcome.Panic p) {
            throw binding.panic(p.message());
        }
        return null;
    }

    /** Evaluates the point of a method without a value: whether it must return at once. */
    public static boolean returnsAtOnce(int site) {
        SiteBinding binding = Sites.get(site);
        Outcome outcome = evaluate(binding);
        if (outcome instanceof Outcome.Panic p) {
            throw binding.panic(p.message());
        }
        return outcome instanceof Outcome.Return;
    }

    /** The guard of class files too old for invokedynamic (before Java 7): one volatile read. */
    public static boolean isArmed(int site) {
        return Sites.get(site).state().isArmed();
    }

    /** A broken evaluation must not take the application down: report it and run the method. */
    private static Outcome evaluate(SiteBinding binding) {
        try {
            return binding.state().evaluate(binding.readable());
        } catch (RuntimeException e) {
            Report.error("fail point " + binding.state().name() + " failed to evaluate at "
                    + binding.readable() + ": " + Report.describe(e));
            return Outcome.PROCEED;
        }
    }
}
