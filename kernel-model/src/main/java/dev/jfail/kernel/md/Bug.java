package dev.jfail.kernel.md;

import dev.jfail.kernel.kern.Backtrace;
import dev.jfail.kernel.kern.KThread;
import dev.jfail.kernel.kern.Kernel;

/**
 * include/asm-generic/bug.h and kernel/panic.c's __warn: WARN_ON prints the warning with the
 * call trace, taints the kernel (TAINT_WARN, the 'W' of "Tainted: G        W") and goes on.
 * The model's Linux invariant checks are WARN_ONs, so the real symptom that follows still shows.
 */
public final class Bug {

    /** The kernel's taint flags. */
    static final class Taint {
        volatile boolean warn;
    }

    private Bug() {
    }

    /**
     * WARN_ON: when {@code condition} holds, prints the warning for {@code where} (file:line of
     * the check) with the current call trace; returns {@code condition}.
     */
    public static boolean WARN_ON(Kernel k, boolean condition, String where) {
        if (!condition) {
            return false;
        }
        KThread td = k.curthread();
        Taint taint = k.subsystem(Taint.class, kernel -> new Taint());
        var bt = Backtrace.here().stream().filter(f -> !f.function().equals("WARN_ON")).toList();
        StringBuilder sb = new StringBuilder("------------[ cut here ]------------\n");
        sb.append("WARNING: CPU: ").append(td.td_tid() % 2).append(" PID: ").append(td.td_tid()).append(" at ")
                .append(where).append(' ').append(bt.isEmpty() ? "?" : bt.get(0).symbol()).append('\n');
        sb.append("CPU: ").append(td.td_tid() % 2).append(" PID: ").append(td.td_tid()).append(" Comm: ")
                .append(td.td_name()).append(taint.warn ? " Tainted: G        W\n" : " Not tainted\n");
        sb.append("Call Trace:\n");
        bt.forEach(f -> sb.append(' ').append(f.symbol()).append('\n'));
        sb.append("---[ end trace ]---");
        k.printf("%s", sb);
        taint.warn = true;
        return true;
    }

    /** Whether a WARN has fired in this kernel (TAINT_WARN). */
    public static boolean tainted_warn(Kernel k) {
        return k.subsystem(Taint.class, kernel -> new Taint()).warn;
    }
}
