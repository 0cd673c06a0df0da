package dev.jfail.kernel.kern;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The kernel's stack backtrace (ddb's {@code db_trace_thread}), built from the Java stack,
 * innermost first. The rule for what is a kernel frame is {@link #isKernelFrame}, written out for
 * race authors in docs/kernel-model.md: a method of the model named as a kernel function
 * (snake_case such as {@code vm_object_backing_scan}, or a macro such as {@code VOP_STRATEGY}), not
 * the report's own machinery, a lambda or a Java name on the stop list. Java helpers (camelCase)
 * and the JVM's frames are left out.
 */
public final class Backtrace {

    /**
     * One frame: the kernel function and the Java location. No instruction offset: the model's
     * would be a Java bytecode index, which a kernel's {@code +0x5a} is not, so it is left out.
     */
    public record Frame(String function, String file, int line) {

        /** {@code vm_fault_hold() at vm_fault_hold (VmFault.java:120)}: ddb's line, the model's location noted. */
        public String ddb() {
            return function + "() at " + function + location();
        }

        /** {@code vm_fault_hold}: the short form of OpenBSD's and Linux's traces. */
        public String symbol() {
            return function;
        }

        String location() {
            return file == null ? "" : " (" + file + ":" + line + ")";
        }
    }

    private static final String MODEL = "dev.jfail.kernel.";
    private static final String KERNEL = MODEL + "kern.Kernel";
    private static final Pattern KERNEL_NAME = Pattern.compile("[a-z_][a-z0-9_]*|[A-Z][A-Z0-9_]*");
    private static final Set<String> NOT_KERNEL = Set.of("run", "call", "get", "accept", "apply", "test",
            "main", "toString", "equals", "hashCode", "KASSERT", "describe", "holders", "fire", "label", "ddb", "symbol");
    private static final Set<String> PLUMBING = Set.of(MODEL + "kern.Backtrace", MODEL + "kern.Witness",
            MODEL + "kern.Console");

    private Backtrace() {
    }

    /** The current thread's backtrace. */
    public static List<Frame> here() {
        return of(StackWalker.getInstance().walk(s -> s.map(StackWalker.StackFrame::toStackTraceElement)
                .toArray(StackTraceElement[]::new)));
    }

    /** The backtrace of a Java stack (another thread's, or where an exception was thrown). */
    public static List<Frame> of(StackTraceElement[] stack) {
        List<Frame> frames = new ArrayList<>();
        for (int i = 0; i < stack.length; i++) {
            StackTraceElement e = stack[i];
            if (isKernelFrame(e.getClassName(), e.getMethodName()) && !(i > 0 && isDelegation(e, stack[i - 1]))) {
                frames.add(new Frame(e.getMethodName(), e.getFileName(), e.getLineNumber()));
            }
        }
        return frames;
    }

    /**
     * Whether {@code e} is one of {@link Kernel}'s methods handing the call to the file that holds
     * the code ({@code Kernel.pause} to {@code SleepQueues.pause}): one function, one frame, the file's.
     */
    private static boolean isDelegation(StackTraceElement e, StackTraceElement inner) {
        return e.getClassName().equals(KERNEL) && !inner.getClassName().equals(KERNEL)
                && inner.getClassName().startsWith(MODEL + "kern.") && inner.getMethodName().equals(e.getMethodName());
    }

    /** The rule: the model's class (not the report's machinery), a kernel-style name, not a lambda, not on the stop list. */
    static boolean isKernelFrame(String className, String method) {
        return className.startsWith(MODEL)
                && !PLUMBING.contains(className)
                && !NOT_KERNEL.contains(method)
                && !method.startsWith("lambda$")
                && KERNEL_NAME.matcher(method).matches();
    }
}
