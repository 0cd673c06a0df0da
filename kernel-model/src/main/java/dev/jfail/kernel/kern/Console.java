package dev.jfail.kernel.kern;

import java.util.List;
import java.util.Map;

/**
 * What the kernel prints when it stops, in the words of the kernel being modelled: FreeBSD's
 * panic and ddb backtrace, OpenBSD's ddb, Linux's oops; and our WITNESS's deadlock report.
 * What the model cannot know it leaves out rather than make up: instruction offsets
 * ({@code +0x29/0xe1}), register dumps, a faulting address; each frame ends with the model's own
 * note of where it is in the model's source, in parentheses.
 */
final class Console {

    private Console() {
    }

    static String panic(Kernel.Flavor flavor, String msg, KThread td, List<Backtrace.Frame> bt, long time) {
        StringBuilder sb = new StringBuilder();
        switch (flavor) {
            case FREEBSD -> {
                sb.append("panic: ").append(msg).append('\n');
                sb.append("cpuid = ").append(cpuid(td)).append('\n');
                sb.append("time = ").append(time).append('\n');
                sb.append("KDB: stack backtrace:\n");
                bt.forEach(f -> sb.append(f.ddb()).append('\n'));
                sb.append("KDB: enter: panic\n");
                sb.append("[ thread pid ").append(td.p_pid()).append(" tid ").append(td.td_tid()).append(" ]\n");
            }
            case OPENBSD -> {
                sb.append("panic: ").append(msg).append('\n');
                sb.append("Stopped at      db_enter\n");
                sb.append("    TID    PID    UID     PRFLAGS     PFLAGS  CPU  COMMAND\n");
                sb.append(String.format("*%6d %6d %6d %11s %10s %4d  %s%n", td.td_tid(), td.p_pid(), 0, "0x14000",
                        "0x200", cpuid(td), td.td_name()));
                sb.append("db_enter() at db_enter\n");
                bt.forEach(f -> sb.append(f.function()).append("() at ").append(f.symbol())
                        .append(f.location()).append('\n'));
                sb.append("end of kernel\n");
            }
            case LINUX -> {
                sb.append("Kernel panic - not syncing: ").append(msg).append('\n');
                linuxTail(sb, td, bt);
            }
        }
        return sb.toString();
    }

    /**
     * Linux: a NULL dereference in kernel code, in the shape of the reported oops, less what the
     * model cannot know (the faulting address, the RIP's offset and function size, the registers).
     */
    static String oops(KThread td, List<Backtrace.Frame> bt) {
        StringBuilder sb = new StringBuilder();
        sb.append("BUG: kernel NULL pointer dereference\n");
        sb.append("#PF: supervisor read access in kernel mode\n");
        sb.append("Oops: 0000 [#1] SMP NOPTI\n");
        sb.append(linuxCpuLine(td)).append('\n');
        sb.append("RIP: 0010:").append(bt.isEmpty() ? "?" : bt.get(0).function()).append('\n');
        linuxTail(sb, td, bt);
        return sb.toString();
    }

    /** Linux's dump_stack_print_info: {@code CPU: 0 PID: 7 Comm: mdmon Not tainted}. */
    static String linuxCpuLine(KThread td) {
        return "CPU: " + cpuid(td) + " PID: " + td.td_tid() + " Comm: " + td.td_name() + " Not tainted";
    }

    private static void linuxTail(StringBuilder sb, KThread td, List<Backtrace.Frame> bt) {
        sb.append("Call Trace:\n");
        bt.forEach(f -> sb.append(' ').append(f.symbol()).append(f.location()).append('\n'));
        sb.append("---[ end trace ]---\n");
    }

    /**
     * FreeBSD: "Fatal trap 12: page fault while in kernel mode", then the panic; OpenBSD: the
     * uvm_fault line (its map and address left out), then the panic.
     */
    static String fatalTrap(Kernel.Flavor flavor, KThread td, List<Backtrace.Frame> bt, long time) {
        String head = flavor == Kernel.Flavor.FREEBSD
                ? "Fatal trap 12: page fault while in kernel mode\ncpuid = " + cpuid(td) + "\n"
                + "current process         = " + td.p_pid() + " (" + td.td_name() + ")\n"
                : "kernel: page fault trap, code=0\n";
        return head + panic(flavor, "page fault", td, bt, time);
    }

    static String deadlock(List<Witness.Edge> chain, Map<KThread, List<Backtrace.Frame>> stacks) {
        StringBuilder sb = new StringBuilder();
        Witness.Edge first = chain.get(0);
        Witness.Edge last = chain.get(chain.size() - 1);
        if (chain.size() == 1 && first.holder() == first.waiter()) {
            sb.append("deadlock: thread ").append(first.waiter().label()).append(" sleeps on \"")
                    .append(first.wmesg()).append("\" for ").append(first.on().describe())
                    .append(", which it holds ").append(first.holdState()).append(" itself\n");
        } else if (last.holder().exited() && last.holder() != first.waiter()) {
            sb.append("deadlock: a sleep chain ends at thread ").append(last.holder().label())
                    .append(", which has exited holding ").append(last.on().describe()).append('\n');
        } else {
            sb.append("deadlock: a sleep chain of ").append(chain.size()).append(" threads closes on itself\n");
        }
        sb.append("sleep chain:\n");
        for (Witness.Edge e : chain) {
            sb.append(" thread ").append(e.waiter().label()).append(" sleeps on \"").append(e.wmesg())
                    .append("\" for ").append(e.on().describe()).append(", ").append(e.holdState())
                    .append(" by thread ").append(e.holder().label()).append('\n');
        }
        stacks.forEach((td, bt) -> {
            sb.append("Tracing pid ").append(td.p_pid()).append(" tid ").append(td.td_tid())
                    .append(" (").append(td.td_name()).append("):\n");
            bt.forEach(f -> sb.append(f.ddb()).append('\n'));
        });
        return sb.toString();
    }

    static String timeout(long limitMillis, Map<KThread, List<Backtrace.Frame>> stacks, Map<KThread, String> states) {
        StringBuilder sb = new StringBuilder();
        sb.append("timeout: the workload did not finish within ").append(limitMillis).append(" ms\n");
        stacks.forEach((td, bt) -> {
            sb.append("Tracing pid ").append(td.p_pid()).append(" tid ").append(td.td_tid())
                    .append(" (").append(td.td_name()).append("): ").append(states.get(td)).append('\n');
            bt.forEach(f -> sb.append(f.ddb()).append('\n'));
        });
        return sb.toString();
    }

    private static int cpuid(KThread td) {
        return td.td_tid() % 2;
    }
}
