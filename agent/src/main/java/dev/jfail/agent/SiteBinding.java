package dev.jfail.agent;

import dev.jfail.FailPointPanic;
import dev.jfail.core.FailPointState;
import dev.jfail.core.ReturnValues;

import java.lang.ref.WeakReference;
import java.lang.reflect.Constructor;
import java.util.Arrays;

/**
 * One instrumented method bound to its failpoint: what the instrumented code needs at run time to
 * honour an outcome (the return type, the panic type), resolved lazily and only when a point fires.
 */
final class SiteBinding {

    private final FailPointState state;
    private final String className;
    private final String methodName;
    private final String readable;
    private final String returnType;
    private final String panicType;
    private final WeakReference<ClassLoader> loader;
    private volatile Constructor<? extends RuntimeException> panicConstructor;
    private volatile boolean conversionReported;

    SiteBinding(FailPointState state, String className, String methodName, String readable,
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
                        + " (" + Report.describe(e) + "); running it as usual");
            }
            return null;
        }
    }

    /** The exception {@code panic} throws here, its stack starting at the instrumented method. */
    RuntimeException panic(String message) {
        RuntimeException e = newPanic(message);
        StackTraceElement[] stack = e.getStackTrace();
        for (int i = 0; i < stack.length; i++) {
            if (stack[i].getClassName().equals(className) && stack[i].getMethodName().equals(methodName)) {
                e.setStackTrace(Arrays.copyOfRange(stack, i, stack.length));
                break;
            }
        }
        return e;
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
                    + Report.describe(e) + "); throwing " + FailPointPanic.class.getName());
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
