package dev.jfail.kernel.race;

import dev.jfail.FailPoints;
import dev.jfail.kernel.kern.KThread;
import dev.jfail.kernel.kern.Kernel;
import dev.jfail.kernel.sendfile.KernSendfile;
import dev.jfail.kernel.vm.VmFault;
import dev.jfail.kernel.vm.VmObjectCollapse;
import dev.jfail.kernel.vm.VmPageout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.jfail.kernel.race.SeededRuns.failsWithin;
import static dev.jfail.kernel.race.SeededRuns.setPresetSettings;
import static dev.jfail.kernel.race.SeededRuns.survives;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The races with the agent attached (surefire's -javaagent): the preset settings make the buggy
 * variants fail within seconds, the fixes survive them, and a failpoint's panic is the kernel's.
 */
@Timeout(180)
class AgentRaceTest {
    private static final RunContext TEN_SECONDS = RunContext.of(Duration.ofSeconds(10));

    @BeforeAll
    static void agentAttached() throws Exception {
        SeededRuns.assertAgentAttached();
    }

    @AfterEach
    void reset() {
        FailPoints.reset();
    }

    @Test
    void collapse_buggy_panics_with_the_seed_failpoints_and_the_fix_survives_them() {
        Race race = new CollapseRace();
        setPresetSettings(race);
        failsWithin(race, "buggy", TEN_SECONDS, RunResult.Kind.PANIC, "freeing mapped page 0x");
        survives(race, "fixed", TEN_SECONDS, 100);
        assertTrue(FailPoints.status("vmob_scan_rename_unlock").fired("return") > 0);
        assertTrue(FailPoints.status("unlock_and_deallocate_relock").evaluations() > 0);
    }

    @Test
    void collapse_without_invariants_loses_data_instead() {
        Race race = new CollapseRace();
        setPresetSettings(race);
        failsWithin(race, "buggy", new RunContext(Duration.ofSeconds(10), Map.of("invariants", "0")),
                RunResult.Kind.DATA_LOSS, "data loss:");
    }

    @Test
    void sendfile_buggy_deadlocks_with_the_seed_failpoints_and_the_fix_survives_them() {
        Race race = new SendfileRace();
        setPresetSettings(race);
        failsWithin(race, "buggy", TEN_SECONDS, RunResult.Kind.DEADLOCK, "which it holds exclusive-busy itself");
        survives(race, "fixed", TEN_SECONDS, 30);
    }

    @Test
    void sendfile_with_f_iosize_page_size_hides_the_bug() {
        Race race = new SendfileRace();
        setPresetSettings(race);
        survives(race, "buggy", new RunContext(Duration.ofSeconds(10), Map.of("f_iosize", "4096")), 30);
    }

    @Test
    void a_failpoint_set_to_panic_panics_the_kernel() {
        // every pageout pass of the cached file ends a batch inside a 64 KiB block, if the pages are
        // still reclaimable: nginx sends the file (referencing every page) once the pagedaemon is done
        FailPoints.set("pageout_evict_partial_block", "panic");
        RunResult r = RaceRun.run(Kernel.Config.freebsd().patched(KernSendfile.R359473), TEN_SECONDS, k -> {
            SendfileRace.Workload w = new SendfileRace.Workload(k, SendfileRace.Params.defaults());
            w.setup();
            KThread pagedaemon = k.kthread_add("pagedaemon", () -> VmPageout.vm_pageout_scan(k, w.p.shortage));
            KThread nginx = k.uthread_add("nginx", 700, () -> {
                k.sched_lock();
                try {
                    k.sleepq_wait(null, "wait4", pagedaemon::exited, 0);
                } finally {
                    k.sched_unlock();
                }
                w.sys_sendfile();
            });
            return () -> List.of(pagedaemon, nginx);
        });
        assertEquals(RunResult.Kind.PANIC, r.kind(), r.report());
        assertTrue(r.report().startsWith("panic: fail point pageout_evict_partial_block panicking"), r.report());
        assertTrue(r.report().contains("model:   vm_pageout_scan (VmPageout.java:"), r.report());
    }

    @Test
    void a_run_stuck_in_a_paused_failpoint_times_out_with_stacks_and_leaves_no_thread() {
        FailPoints.set("vmob_scan_rename_unlock", "return(1)");
        FailPoints.set("unlock_and_deallocate_relock", "pause");
        long before = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("make")).count();
        // the fixed variant's run, with the fault started once the collapse has failed a rename and
        // waits: the fault then surely meets the collapse (raced freely, make may copy every page
        // before the collapse begins, and the run just survives) and stops in the paused failpoint
        RunResult r = RaceRun.run(Kernel.Config.freebsd().patched(VmObjectCollapse.R291576),
                RunContext.of(Duration.ofSeconds(2)), k -> {
                    CollapseRace.Workload w = new CollapseRace.Workload(k, CollapseRace.Params.defaults());
                    w.setup();
                    KThread sh = k.uthread_add("sh", 813, w::vmspace_exit);
                    FailPoints.awaitFired("vmob_scan_rename_unlock", 1, Duration.ofSeconds(5));
                    KThread make = k.uthread_add("make", 812,
                            () -> VmFault.vm_fault_hold(w.map, w.va(1), VmFault.VM_PROT_WRITE, 7777));
                    return () -> List.of(sh, make);
                });
        assertEquals(RunResult.Kind.TIMEOUT, r.kind(), r.report());
        assertTrue(r.report().startsWith("model: timeout: the workload did not finish within 2000 ms"), r.report());
        assertTrue(r.report().contains("model:   unlock_and_deallocate_relock (VmFault.java:"), r.report());
        assertTrue(r.report().contains("sleeping on \"vmocol\""), r.report());
        assertTrue(!r.report().contains("threads left behind"), r.report());
        long after = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("make")).count();
        assertEquals(before, after);
    }
}
