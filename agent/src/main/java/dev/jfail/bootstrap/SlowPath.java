package dev.jfail.bootstrap;

import dev.jfail.core.Messages;
import dev.jfail.core.Outcome;
import dev.jfail.core.Report;

/**
 * What instrumented code calls once a failpoint is armed (the slow path). Public because the
 * calls are inlined into the application's classes; not an API for anyone else.
 */
public final class SlowPath {

    private SlowPath() {
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
            throw binding.panic(p);
        }
        return null;
    }

    /** Evaluates the point of a method without a value: whether it must return at once. */
    public static boolean returnsAtOnce(int site) {
        SiteBinding binding = Sites.get(site);
        Outcome outcome = evaluate(binding);
        if (outcome instanceof Outcome.Panic p) {
            throw binding.panic(p);
        }
        return outcome instanceof Outcome.Return;
    }

    // --- points inside a method (see Probes) -----------------------------------------------

    /**
     * A point at a line, a call or a synchronized block: returns to run on, throws the panic, or
     * throws {@link ForcedReturn} for {@code return(n)}, which the method's handler turns into the return.
     */
    public static void at(int site) {
        SiteBinding binding = Sites.get(site);
        Outcome outcome = evaluate(binding);
        if (outcome instanceof Outcome.Return r) {
            Object value = binding.returnValue(r.value());
            if (value != null || binding.returnsNothing()) {
                throw new ForcedReturn(value, binding.state().name());
            }
        } else if (outcome instanceof Outcome.Panic p) {
            throw binding.panic(p);
        }
    }

    /** A point at a return: the value to return instead of {@code returning} (boxed), or {@code returning}. */
    public static Object atExit(int site, Object returning) {
        SiteBinding binding = Sites.get(site);
        Outcome outcome = evaluate(binding);
        if (outcome instanceof Outcome.Return r) {
            Object value = binding.returnValue(r.value());
            return value != null ? value : returning;
        }
        if (outcome instanceof Outcome.Panic p) {
            throw binding.panic(p);
        }
        return returning;
    }

    /**
     * A point where {@code thrown} leaves the method: the value to return instead ({@code return(n)}),
     * or throws (the panic, else {@code thrown} itself).
     */
    public static Object atThrownExit(int site, Throwable thrown) {
        SiteBinding binding = Sites.get(site);
        Outcome outcome = evaluate(binding);
        if (outcome instanceof Outcome.Return r) {
            Object value = binding.returnValue(r.value());
            if (value != null || binding.returnsNothing()) {
                return value;
            }
        } else if (outcome instanceof Outcome.Panic p) {
            throw binding.panic(p);
        }
        throw SlowPath.<RuntimeException>sneaky(thrown);
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T sneaky(Throwable t) throws T {
        throw (T) t;
    }

    /** A broken evaluation must not take the application down: report it and run the method. */
    private static Outcome evaluate(SiteBinding binding) {
        try {
            return binding.state().evaluate(binding.readable());
        } catch (RuntimeException e) {
            Report.error("fail point " + binding.state().name() + " failed to evaluate at "
                    + binding.readable() + ": " + Messages.oneLine(e));
            return Outcome.PROCEED;
        }
    }
}
