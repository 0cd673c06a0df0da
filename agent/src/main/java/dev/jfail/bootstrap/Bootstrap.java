package dev.jfail.bootstrap;

import dev.jfail.core.Messages;
import dev.jfail.core.Report;
import java.lang.invoke.CallSite;
import java.lang.invoke.ConstantCallSite;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.MutableCallSite;

/**
 * The invokedynamic bootstrap of every failpoint check (see {@link dev.jfail.tooling.GuardPrologue}). Each
 * call site is the point's own {@link java.lang.invoke.MutableCallSite} for that check
 * ({@link dev.jfail.core.FailPointState#check}): its target is the constant {@code off} while the point is
 * off, which the JIT compiles to nothing, and the point's evaluation while it is armed; arming or
 * disarming the point switches the target and deoptimises the methods that inlined it.
 */
public final class Bootstrap {

    /** The names of the call sites of {@link dev.jfail.tooling.Probes}: a point at a line, a call or a monitor; at a return; where an exception leaves. */
    public static final String AT = "at";
    public static final String EXIT = "exit";
    public static final String THROWN = "thrown";

    private static final MethodHandle VALUE_FOR;
    private static final MethodHandle RETURNS_AT_ONCE;
    private static final MethodHandle AT_HOOK;
    private static final MethodHandle EXIT_HOOK;
    private static final MethodHandle THROWN_HOOK;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            VALUE_FOR = lookup.findStatic(SlowPath.class, "valueFor", MethodType.methodType(Object.class, int.class));
            RETURNS_AT_ONCE = lookup.findStatic(SlowPath.class, "returnsAtOnce", MethodType.methodType(boolean.class, int.class));
            AT_HOOK = lookup.findStatic(SlowPath.class, "at", MethodType.methodType(void.class, int.class));
            EXIT_HOOK = lookup.findStatic(SlowPath.class, "atExit", MethodType.methodType(Object.class, int.class, Object.class));
            THROWN_HOOK = lookup.findStatic(SlowPath.class, "atThrownExit",
                    MethodType.methodType(Object.class, int.class, Throwable.class));
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
        if (!name.equals("failpoint")) {
            return probe(name, type, site);
        }
        MethodHandle off = entryOff(type);
        try {
            return Sites.get(site).state().check(off, entryEvaluate(type, site));
        } catch (RuntimeException | LinkageError e) {
            // the failpoint is lost, the application is not
            Report.error("the failpoint check of site " + site + " could not be linked: " + Messages.oneLine(e));
            return new ConstantCallSite(off);
        }
    }

    private static MethodHandle entryEvaluate(MethodType type, int site) {
        return MethodHandles.insertArguments(type.returnType() == boolean.class ? RETURNS_AT_ONCE : VALUE_FOR, 0, site);
    }

    /** What an entry check gives while its point is off: false (run the method), or null (no value to return). */
    private static MethodHandle entryOff(MethodType type) {
        return MethodHandles.constant(type.returnType(), type.returnType() == boolean.class ? (Object) false : null);
    }

    /**
     * Builds, and links nowhere, the handles of both kinds of entry check, so that the JVM has made
     * their lambda forms before the first check is linked: at agent start, on a background thread.
     */
    public static void warmUp() {
        for (MethodType type : new MethodType[] {MethodType.methodType(boolean.class), MethodType.methodType(Object.class)}) {
            new MutableCallSite(entryOff(type)).setTarget(entryEvaluate(type, -1));
        }
    }

    /** The check of a class file before Java 7 ({@link LegacyGuards}): the same target as a call site's. */
    public static MethodHandle legacy(int site, String name, String descriptor) {
        return LegacyGuards.check(site, name, descriptor);
    }

    /**
     * The call sites of points inside a method ({@link dev.jfail.tooling.Probes}), switched like an
     * entry check's; while off they do nothing: {@code at ()V} runs on; {@code exit (T)T} returns
     * its argument ({@code ()V} for void methods); {@code thrown (Throwable)T} rethrows.
     */
    private static CallSite probe(String name, MethodType type, int site) {
        MethodHandle off = switch (name) {
            case AT -> MethodHandles.empty(type);
            case EXIT -> type.parameterCount() == 0 ? MethodHandles.empty(type) : MethodHandles.identity(type.returnType());
            case THROWN -> MethodHandles.throwException(type.returnType(), Throwable.class);
            default -> throw new IllegalArgumentException("unknown fail point call site " + name);
        };
        try {
            MethodHandle evaluate = switch (name) {
                case AT -> MethodHandles.insertArguments(AT_HOOK, 0, site);
                case EXIT -> type.parameterCount() == 0
                        ? MethodHandles.insertArguments(EXIT_HOOK, 0, site, null)
                        : MethodHandles.insertArguments(EXIT_HOOK, 0, site);
                default -> MethodHandles.insertArguments(THROWN_HOOK, 0, site);
            };
            if (type.returnType() == void.class) {
                evaluate = evaluate.asType(evaluate.type().changeReturnType(void.class));
            }
            return Sites.get(site).state().check(off, evaluate.asType(type));
        } catch (RuntimeException | LinkageError e) {
            Report.error("the failpoint check of site " + site + " could not be linked: " + Messages.oneLine(e));
            return new ConstantCallSite(off.asType(type));
        }
    }
}
