package dev.jfail.kernel.kern;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ConsoleTest {

    private static final Set<String> PANIC = Set.of("vpanic", "panic", "kassert_panic");

    private static List<Backtrace.Frame> frames(String... functions) {
        return java.util.Arrays.stream(functions).map(f -> new Backtrace.Frame(f, "X.java", 1)).toList();
    }

    private static List<String> names(List<Backtrace.Frame> frames) {
        return frames.stream().map(Backtrace.Frame::function).toList();
    }

    @Test
    void the_reports_frames_are_kept_in_its_order_and_the_frames_it_does_not_show_left_out() {
        List<Backtrace.Frame> bt = frames("vpanic", "panic", "bufstrategy", "bstrategy", "swapdev_strategy", "fork_exit");
        assertEquals(List.of("vpanic", "panic", "bufstrategy", "swapdev_strategy"),
                names(Console.asReported(bt, List.of("vpanic", "panic", "bufstrategy", "swapdev_strategy", "sys_reboot"), PANIC)));
        assertEquals(List.of("uvn_flush", "vclean"),
                names(Console.asReported(frames("vpanic", "panic", "uvn_flush", "vclean"), List.of("uvn_flush", "vclean"), PANIC)));
    }

    @Test
    void any_other_trace_is_the_models() {
        List<String> report = List.of("uvn_flush", "uvm_vnp_terminate", "vclean");
        assertNull(Console.asReported(frames("panic", "vref", "uvn_io"), report, PANIC), "the report's first frame is not there");
        assertNull(Console.asReported(frames("panic", "uvn_flush", "vclean", "uvm_vnp_terminate"), report, PANIC), "out of order");
        assertNull(Console.asReported(frames("panic", "vm_page_xbusy", "uvn_flush", "vclean"), report, PANIC),
                "a frame above the report's first that is not panic's own");
        assertEquals(List.of("uvn_flush"),
                names(Console.asReported(frames("sleepq_wait", "uvn_flush"), report, null)), "a hang's own frames are cut off");
        assertNull(Console.asReported(frames("vpanic", "uvn_flush"), List.of(), PANIC), "the report shows no trace");
    }

    @Test
    void a_model_check_is_said_as_the_models_never_as_a_panic() {
        Kernel k = new Kernel(Kernel.Config.freebsd());
        assertEquals("model: check failed: kernel lock not held",
                org.junit.jupiter.api.Assertions.assertThrows(KernelPanic.class,
                        () -> k.modelCheck(false, "kernel lock not held")).getMessage());
        String report = k.fatal().report();
        org.junit.jupiter.api.Assertions.assertTrue(report.startsWith("model: check failed: kernel lock not held, thread "), report);
        report.lines().forEach(l -> org.junit.jupiter.api.Assertions.assertTrue(l.startsWith("model: "), report));
    }
}
