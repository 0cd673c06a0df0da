package dev.jfail.kernel.kern;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The kernel's stack backtrace (ddb's {@code db_trace_thread}), built from the Java stack: only the
 * model's frames whose method is a kernel function (snake_case such as
 * {@code vm_object_backing_scan}, or a macro such as {@code VOP_STRATEGY}), innermost first.
 * Java helpers (camelCase), lambdas and the JVM's own frames are left out.
 */
public final class Backtrace {

    /** One frame: the kernel function, its bytecode offset when known (-1 if not), the Java location. */
    public record Frame(String function, int offset, String file, int line) {

        /** {@code vm_fault_hold() at vm_fault_hold+0x5a (VmFault.java:120)}. */
        public String ddb() {
            String at = offset >= 0 ? function + "+0x" + Integer.toHexString(offset) : function;
            return function + "() at " + at + location();
        }

        /** {@code vm_fault_hold+0x5a}: the short form of OpenBSD's and Linux's traces. */
        public String symbol() {
            return offset >= 0 ? function + "+0x" + Integer.toHexString(offset) : function;
        }

        String location() {
            return file == null ? "" : " (" + file + ":" + line + ")";
        }
    }

    private static final String MODEL = "dev.jfail.kernel.";
    private static final Pattern KERNEL_NAME = Pattern.compile("[a-z_][a-z0-9_]*|[A-Z][A-Z0-9_]*");
    private static final Set<String> NOT_KERNEL = Set.of("run", "call", "get", "accept", "apply", "test",
            "main", "toString", "equals", "hashCode", "KASSERT", "describe", "holders", "fire", "label", "ddb", "symbol");
    private static final Set<String> PLUMBING = Set.of(MODEL + "kern.Backtrace", MODEL + "kern.Witness",
            MODEL + "kern.Console");

    private Backtrace() {
    }

    /** The current thread's backtrace, with bytecode offsets. */
    public static List<Frame> here() {
        return StackWalker.getInstance().walk(s -> s
                .filter(f -> isKernelFrame(f.getClassName(), f.getMethodName()))
                .map(f -> new Frame(f.getMethodName(), f.getByteCodeIndex(), f.getFileName(), f.getLineNumber()))
                .toList());
    }

    /** The backtrace of a Java stack (another thread's, or where an exception was thrown). */
    public static List<Frame> of(StackTraceElement[] stack) {
        List<Frame> frames = new ArrayList<>();
        for (StackTraceElement e : stack) {
            if (isKernelFrame(e.getClassName(), e.getMethodName())) {
                frames.add(new Frame(e.getMethodName(), -1, e.getFileName(), e.getLineNumber()));
            }
        }
        return frames;
    }

    static boolean isKernelFrame(String className, String method) {
        return className.startsWith(MODEL)
                && !PLUMBING.contains(className)
                && !NOT_KERNEL.contains(method)
                && !method.startsWith("lambda$")
                && KERNEL_NAME.matcher(method).matches();
    }
}
