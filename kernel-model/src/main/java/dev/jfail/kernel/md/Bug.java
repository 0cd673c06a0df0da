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
        var bt = Backtrace.here().stream().filter(f -> !f.function().equals("WARN_ON")).toList();
        StringBuilder sb = new StringBuilder("------------[ cut here ]------------\n");
        sb.append("WARNING: CPU: ").append(td.td_tid() % 2).append(" PID: ").append(td.td_tid()).append(" at ")
                .append(where).append(' ').append(bt.isEmpty() ? "?" : bt.get(0).symbol()).append('\n');
        sb.append(k.dump_stack_print_info(td)).append('\n');
        sb.append("Call Trace:\n");
        bt.forEach(f -> sb.append(' ').append(f.symbol()).append('\n'));
        sb.append("---[ end trace ]---");
        k.printf("%s", sb);
        k.add_taint_warn();
        return true;
    }
}
