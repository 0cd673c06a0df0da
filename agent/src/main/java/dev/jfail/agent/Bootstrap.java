package dev.jfail.agent;

import java.lang.invoke.CallSite;
import java.lang.invoke.ConstantCallSite;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The invokedynamic bootstrap of every failpoint guard. The call site is linked for good to the
 * point's {@code armedGuard()}, a MutableCallSite whose target is a constant: while the point is
 * off, the JIT compiles the guard to {@code false} and drops the failpoint's code entirely, and
 * recompiles when the point is set.
 */
public final class Bootstrap {

    private Bootstrap() {
    }

    public static CallSite armed(MethodHandles.Lookup lookup, String name, MethodType type, int site) {
        try {
            return new ConstantCallSite(Sites.get(site).state().armedGuard().asType(type));
        } catch (RuntimeException | LinkageError e) {
            // the failpoint is lost, the application is not
            Report.error("failpoint guard of site " + site + " could not be linked: " + Report.describe(e));
            return new ConstantCallSite(MethodHandles.constant(boolean.class, false).asType(type));
        }
    }
}
