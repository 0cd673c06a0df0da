package dev.jfail.kernel.kern;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the kernel prints when it stops. Only what the race's report shows is printed in a kernel's
 * format ({@link Kernel.Shown}: its panic line, and its backtrace where the model's frames are the
 * report's); everything else is the model's own and every such line begins with {@value #MODEL}:
 * its checks, its WITNESS's deadlock report, a NULL dereference, a timeout, a backtrace the report
 * does not show. What the model cannot know it leaves out rather than make up: instruction offsets
 * ({@code +0x29/0xe1}), register dumps, a faulting address; each frame ends with the model's own
 * note of where it is in the model's source, in parentheses.
 */
final class Console {

    /** The frames of panic itself, which a report's trace may leave out above the function that panicked. */
    private static final Set<String> PANIC_FRAMES = Set.of("vpanic", "panic", "kassert_panic");

    /** How a line that is plainly the model's begins. */
    static final String MODEL = "model: ";

    private Console() {
    }

    /** A panic: the panic line in the report's format, then the backtrace (the report's or the model's). */
    static String panic(Kernel.Shown shown, String msg, KThread td, List<Backtrace.Frame> bt, long timeMillis,
                        String tdAddr) {
        StringBuilder sb = new StringBuilder();
        List<Backtrace.Frame> reported = asReported(bt, shown.trace(), PANIC_FRAMES);
        switch (shown.head()) {
            case FREEBSD_DDB -> {
                sb.append("panic: ").append(msg).append('\n');
                sb.append("cpuid = ").append(cpuid(td)).append('\n');
                sb.append("time = ").append(timeMillis / 1000).append('\n');
                if (reported != null) {
                    sb.append("KDB: stack backtrace:\n");
                    reported.forEach(f -> sb.append(f.ddb()).append('\n'));
                    sb.append("KDB: enter: panic\n");
                    sb.append("[ thread pid ").append(td.p_pid()).append(" tid ").append(td.td_tid()).append(" ]\n");
                } else {
                    modelTrace(sb, td, bt);
                }
            }
            case ONEFS -> {
                sb.append(String.format("panic @ time %d.%03d, thread %s: %s%n", timeMillis / 1000, timeMillis % 1000,
                        tdAddr, msg));
                frames(sb, td, bt, reported);
            }
            case OPENBSD -> {
                sb.append("panic: ").append(msg).append('\n');
                frames(sb, td, bt, reported);
            }
            case MODEL -> {
                sb.append(MODEL).append("panic: ").append(msg).append('\n');
                modelTrace(sb, td, bt);
            }
        }
        return sb.toString();
    }

    /** A check of the model's own failed, or it dereferenced NULL: the message and the model's backtrace. */
    static String modelCheck(String msg, KThread td, List<Backtrace.Frame> bt) {
        StringBuilder sb = new StringBuilder();
        sb.append(msg.startsWith(MODEL) ? msg : MODEL + msg).append(", ").append(td).append('\n');
        modelTrace(sb, td, bt);
        return sb.toString();
    }

    /** The report's frames, as it writes them ({@code uvn_flush+0x820}, less the offset), or the model's. */
    private static void frames(StringBuilder sb, KThread td, List<Backtrace.Frame> bt, List<Backtrace.Frame> reported) {
        if (reported != null) {
            reported.forEach(f -> sb.append(f.symbol()).append(f.location()).append('\n'));
        } else {
            modelTrace(sb, td, bt);
        }
    }

    /** A backtrace the report does not show: the model's, on its own lines. */
    private static void modelTrace(StringBuilder sb, KThread td, List<Backtrace.Frame> bt) {
        sb.append(MODEL).append("the model's backtrace of ").append(td).append(":\n");
        bt.forEach(f -> sb.append(MODEL).append("  ").append(f.symbol()).append(f.location()).append('\n'));
    }

    /**
     * The model's frames as the report's trace shows them: from the frame where the report's trace
     * begins, only the functions it names (the others were inlined in the report's kernel, or are
     * the model's substrate), provided they are the report's, in its order. Null when they are not
     * (or the report shows no trace): then the trace is the model's. {@code above}: the only frames
     * allowed above that frame (a panic's own), or null for any (a sleep's, which a report of a
     * hang cuts off).
     */
    static List<Backtrace.Frame> asReported(List<Backtrace.Frame> bt, List<String> trace, Set<String> above) {
        if (trace.isEmpty()) {
            return null;
        }
        int start = -1;
        for (int i = 0; i < bt.size() && start < 0; i++) {
            if (bt.get(i).function().equals(trace.get(0))) {
                start = i;
            }
        }
        if (start < 0) {
            return null;
        }
        for (Backtrace.Frame f : bt.subList(0, start)) {
            if (above != null && !above.contains(f.function())) {
                return null;
            }
        }
        List<Backtrace.Frame> kept = new ArrayList<>();
        for (Backtrace.Frame f : bt.subList(start, bt.size())) {
            if (trace.contains(f.function())) {
                kept.add(f);
            }
        }
        for (int i = 0; i < kept.size(); i++) {
            if (i >= trace.size() || !kept.get(i).function().equals(trace.get(i))) {
                return null;
            }
        }
        return kept;
    }

    /** Our WITNESS: the kernel printed nothing (the threads hung); every line is the model's. */
    static String deadlock(List<Witness.Edge> chain, Map<KThread, List<Backtrace.Frame>> stacks,
                           List<String> reportTrace) {
        StringBuilder sb = new StringBuilder();
        Witness.Edge first = chain.get(0);
        Witness.Edge last = chain.get(chain.size() - 1);
        sb.append(MODEL);
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
        sb.append(MODEL).append("sleep chain:\n");
        for (Witness.Edge e : chain) {
            sb.append(MODEL).append(" thread ").append(e.waiter().label()).append(" sleeps on \"").append(e.wmesg())
                    .append("\" for ").append(e.on().describe()).append(", ").append(e.holdState())
                    .append(" by thread ").append(e.holder().label()).append('\n');
        }
        stacks.forEach((td, bt) -> {
            List<Backtrace.Frame> reported = asReported(bt, reportTrace, null);
            if (reported != null) {
                // the report's own trace of the hang: its frames, in its format
                sb.append(MODEL).append("backtrace of ").append(td).append(", in the report's frames:\n");
                reported.forEach(f -> sb.append(' ').append(f.symbol()).append(f.location()).append('\n'));
            } else {
                modelTrace(sb, td, bt);
            }
        });
        return sb.toString();
    }

    static String timeout(long limitMillis, Map<KThread, List<Backtrace.Frame>> stacks, Map<KThread, String> states) {
        StringBuilder sb = new StringBuilder();
        sb.append(MODEL).append("timeout: the workload did not finish within ").append(limitMillis).append(" ms\n");
        stacks.forEach((td, bt) -> {
            sb.append(MODEL).append(td).append(": ").append(states.get(td)).append('\n');
            modelTrace(sb, td, bt);
        });
        return sb.toString();
    }

    private static int cpuid(KThread td) {
        return td.td_tid() % 2;
    }
}
