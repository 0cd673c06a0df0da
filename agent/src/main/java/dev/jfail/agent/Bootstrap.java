package dev.jfail.agent;

import java.lang.invoke.CallSite;
import java.lang.invoke.ConstantCallSite;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The invokedynamic bootstrap of every failpoint check (see {@link GuardPrologue}). The call site is
 * linked for good to {@code guardWithTest(armedGuard, evaluate, off)}: the point's
 * {@code armedGuard()} is a MutableCallSite whose target is a constant, so while the point is off
 * the JIT compiles the whole check to the constant {@code off} (false, or null) and drops it with
 * its branch; setting the point changes that target and deoptimises the methods that inlined it.
 */
public final class Bootstrap {

    private static final MethodHandle VALUE_FOR;
    private static final MethodHandle RETURNS_AT_ONCE;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            VALUE_FOR = lookup.findStatic(Hooks.class, "valueFor", MethodType.methodType(Object.class, int.class));
            RETURNS_AT_ONCE = lookup.findStatic(Hooks.class, "returnsAtOnce", MethodType.methodType(boolean.class, int.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Bootstrap() {
    }

    /**
     * {@code ()boolean} (methods without a value: whether to return at once) or {@code ()Object}
     * (the boxed value to return, null to run the method).
     */
    public static CallSite failpoint(MethodHandles.Lookup lookup, String name, MethodType type, int site) {
        boolean returnless = type.returnType() == boolean.class;
        MethodHandle off = MethodHandles.constant(type.returnType(), returnless ? (Object) false : null);
        try {
            MethodHandle evaluate = MethodHandles.insertArguments(returnless ? RETURNS_AT_ONCE : VALUE_FOR, 0, site);
            MethodHandle armed = Sites.get(site).state().armedGuard();
            return new ConstantCallSite(MethodHandles.guardWithTest(armed, evaluate, off).asType(type));
        } catch (RuntimeException | LinkageError e) {
            // the failpoint is lost, the application is not
            Report.error("the failpoint check of site " + site + " could not be linked: " + Report.describe(e));
            return new ConstantCallSite(off.asType(type));
        }
    }
}
