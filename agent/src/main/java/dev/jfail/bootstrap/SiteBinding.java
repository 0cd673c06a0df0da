package dev.jfail.bootstrap;

import dev.jfail.FailPointPanic;
import dev.jfail.core.FailPointState;
import dev.jfail.core.Messages;
import dev.jfail.core.Outcome;
import dev.jfail.core.Report;
import dev.jfail.core.ReturnValues;

import java.lang.ref.WeakReference;
import java.lang.reflect.Constructor;
import java.util.Arrays;

/**
 * One instrumented method bound to its failpoint: what the instrumented code needs at run time to
 * honour an outcome (the return type, the panic type), resolved lazily and only when a point fires.
 */
public final class SiteBinding {

    private final FailPointState state;
    private final String className;
    private final String methodName;
    private final String readable;
    private final String returnType;
    private final String panicType;
    private final WeakReference<ClassLoader> loader;
    private volatile Constructor<? extends RuntimeException> panicConstructor;
    private volatile boolean conversionReported;
    private volatile boolean namedReported;

    public SiteBinding(FailPointState state, String className, String methodName, String readable,
                String returnType, String panicType, ClassLoader loader) {
        this.state = state;
        this.className = className;
        this.methodName = methodName;
        this.readable = readable;
        this.returnType = returnType;
        this.panicType = panicType;
        this.loader = new WeakReference<>(loader);
    }

    /** Whether the method returns nothing ({@code void} or {@code Void}): {@code return(n)} just returns. */
    boolean returnsNothing() {
        return returnType.equals("void") || returnType.equals("java.lang.Void");
    }

    FailPointState state() {
        return state;
    }

    String readable() {
        return readable;
    }

    /**
     * {@code return(n)} as the method's boxed return value, or null when it cannot be made (then
     * the method runs as usual; the registry should have refused such a setting, so say so once).
     */
    Object returnValue(long n) {
        try {
            return ReturnValues.convert(returnType, n);
        } catch (RuntimeException e) {
            if (!conversionReported) {
                conversionReported = true;
                Report.error("fail point " + state.name() + ": " + readable + " cannot return " + n
                        + " (" + Messages.oneLine(e) + "); running it as usual");
            }
            return null;
        }
    }

    /**
     * The exception {@code panic} throws here, its stack starting at the instrumented method: the
     * point's own type, or for {@code panic(CLASS)} that class; a checked one is thrown from here
     * (the JVM does not check what a method declares), so a caller never sees it returned.
     */
    RuntimeException panic(Outcome.Panic p) {
        Throwable e = p.thrown() != null ? named(p.thrown(), p.message()) : null;
        if (e == null) {
            e = newPanic(p.message());
        }
        trim(e);
        if (e instanceof RuntimeException r) {
            return r;
        }
        throw SiteBinding.<RuntimeException>sneaky(e);
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T sneaky(Throwable t) throws T {
        throw (T) t;
    }

    /** An exception of class {@code type} with {@code message}, or null (reported once) when it cannot be made. */
    private Throwable named(String type, String message) {
        try {
            Class<?> c = Class.forName(type, false, loader.get());
            if (Throwable.class.isAssignableFrom(c)) {
                Constructor<?> k = c.getConstructor(String.class);
                k.setAccessible(true);
                return (Throwable) k.newInstance(message);
            }
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            // reported below
        }
        if (!namedReported) {
            namedReported = true;
            Report.error("fail point " + state.name() + ": panic(" + type + "): no exception class of that name with a"
                    + " public (String) constructor here; throwing " + panicType);
        }
        return null;
    }

    private void trim(Throwable e) {
        StackTraceElement[] stack = e.getStackTrace();
        for (int i = 0; i < stack.length; i++) {
            if (stack[i].getClassName().equals(className) && stack[i].getMethodName().equals(methodName)) {
                e.setStackTrace(Arrays.copyOfRange(stack, i, stack.length));
                break;
            }
        }
    }

    private RuntimeException newPanic(String message) {
        Constructor<? extends RuntimeException> constructor = panicConstructor;
        if (constructor == null) {
            constructor = resolvePanicConstructor();
            panicConstructor = constructor;
        }
        try {
            return constructor.newInstance(message);
        } catch (ReflectiveOperationException | RuntimeException e) {
            Report.error("fail point " + state.name() + ": cannot construct " + panicType + " ("
                    + Messages.oneLine(e) + "); throwing " + FailPointPanic.class.getName());
            return new FailPointPanic(message);
        }
    }

    private Constructor<? extends RuntimeException> resolvePanicConstructor() {
        try {
            ClassLoader l = loader.get();
            Class<?> type = Class.forName(panicType, false, l);
            if (RuntimeException.class.isAssignableFrom(type)) {
                Constructor<? extends RuntimeException> c =
                        type.asSubclass(RuntimeException.class).getConstructor(String.class);
                c.setAccessible(true);
                return c;
            }
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            // fall through to the default, which always exists
        }
        if (!panicType.equals(FailPointPanic.class.getName())) {
            Report.error("fail point " + state.name() + ": " + panicType + " has no public (String) constructor;"
                    + " throwing " + FailPointPanic.class.getName());
        }
        try {
            return FailPointPanic.class.getConstructor(String.class);
        } catch (NoSuchMethodException impossible) {
            throw new AssertionError(impossible);
        }
    }
}
