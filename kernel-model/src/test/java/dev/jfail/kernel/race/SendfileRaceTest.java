package dev.jfail.kernel.race;

import dev.jfail.FailPoints;
import dev.jfail.Hold;
import dev.jfail.kernel.kern.KThread;
import dev.jfail.kernel.kern.Kernel;
import dev.jfail.kernel.sendfile.KernSendfile;
import dev.jfail.kernel.vm.VmObject;
import dev.jfail.kernel.vm.VmPage;
import dev.jfail.kernel.vm.VmPageout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.jfail.kernel.vm.VmObject.VM_OBJECT_WLOCK;
import static dev.jfail.kernel.vm.VmObject.VM_OBJECT_WUNLOCK;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Race 5 driven by hand: a partly evicted block, made directly or by holding the pagedaemon between batches (a jfail hold). */
@Timeout(30)
class SendfileRaceTest {

    @AfterEach
    void reset() {
        FailPoints.reset();
    }

    private static Kernel boot(boolean fixed) {
        Kernel.Config c = SendfileRace.FREEBSD.timeLimit(Duration.ofSeconds(10));
        return new Kernel(fixed ? c.patched(KernSendfile.R359473) : c);
    }

    private static SendfileRace.Workload cached(Kernel k, Map<String, String> params) {
        SendfileRace.Workload w = new SendfileRace.Workload(k, new SendfileRace.Params(params));
        w.setup();
        return w;
    }

    /** The pagedaemon's work done by hand: pages [from, to) freed. */
    private static void evict(SendfileRace.Workload w, int from, int to) {
        VmObject obj = w.vp.v_object;
        VM_OBJECT_WLOCK(obj);
        for (int i = from; i < to; i++) {
            VmPage.vm_page_free(VmPage.vm_page_lookup(obj, i));
        }
        VM_OBJECT_WUNLOCK(obj);
    }

    private static KThread sendfile(Kernel k, SendfileRace.Workload w) {
        KThread td = k.uthread_add("nginx", 700, w::sys_sendfile);
        k.join(List.of(td), Duration.ofSeconds(10));
        return td;
    }

    @Test
    void buggy_a_block_with_an_evicted_head_and_a_valid_tail_deadlocks_sendfile_on_itself() {
        Kernel k = boot(false);
        SendfileRace.Workload w = cached(k, Map.of());
        evict(w, 16, 21);
        sendfile(k, w);
        Kernel.Fatal f = k.fatal();
        assertEquals(Kernel.FatalKind.DEADLOCK, f == null ? null : f.kind(), String.valueOf(f));
        assertTrue(f.report().contains("(nginx) sleeps on \"grbmaw\""), f.report());
        assertTrue(f.report().contains("(pindex 21 of object"), "the first trimmed page: " + f.report());
        assertTrue(f.report().contains("which it holds exclusive-busy itself"), f.report());
        // the stack in comment 70's frames, in its order (vfs_vmio_extend and sendfile_swapin inlined there)
        assertTrue(f.report().startsWith("model: deadlock: "), f.report());
        int at = f.report().indexOf("in the report's frames:\n");
        assertTrue(at > 0, f.report());
        for (String fn : List.of("vm_page_grab_pages", "allocbuf", "getblkx", "breadn_flags", "vfs_bio_getpages",
                "fuse_vnop_getpages", "VOP_GETPAGES_APV", "vop_stdgetpages_async", "VOP_GETPAGES_ASYNC_APV",
                "vnode_pager_getpages_async", "vn_sendfile")) {
            int i = f.report().indexOf("\n " + fn + " (", at);
            assertTrue(i > at, fn + " after position " + at + " in " + f.report());
            at = i;
        }
        assertFalse(f.report().contains(" getblk ("), f.report());
        assertFalse(f.report().contains(" vfs_vmio_extend ("), f.report());
        assertTrue(k.shutdown(Duration.ofSeconds(2)).isEmpty());
    }

    @Test
    void fixed_the_same_block_is_read_and_sent_intact() {
        Kernel k = boot(true);
        SendfileRace.Workload w = cached(k, Map.of());
        evict(w, 16, 21);
        sendfile(k, w);
        assertNull(k.fatal(), () -> k.fatal().report());
        assertEquals(Optional.empty(), w.finalCheck());
        assertTrue(k.shutdown(Duration.ofSeconds(2)).isEmpty());
    }

    @Test
    void buggy_with_f_iosize_page_size_the_bug_hides() {
        Kernel k = boot(false);
        SendfileRace.Workload w = cached(k, Map.of("f_iosize", "4096"));
        evict(w, 16, 21);
        sendfile(k, w);
        assertNull(k.fatal(), () -> k.fatal().report());
        assertEquals(Optional.empty(), w.finalCheck());
        k.shutdown(Duration.ofSeconds(2));
    }

    @Test
    void buggy_sendfile_between_two_pagedaemon_batches_of_one_block_deadlocks() {
        Kernel k = boot(false);
        SendfileRace.Workload w = cached(k, Map.of());
        KThread pagedaemon;
        // the pagedaemon stops after its first batch ends inside a block; nginx sends the file meanwhile
        try (Hold betweenBatches = FailPoints.holdAt("pageout_evict_partial_block")) {
            pagedaemon = k.kthread_add("pagedaemon", () -> VmPageout.vm_pageout_scan(k, 32));
            betweenBatches.awaitHeld();
            KThread nginx = k.uthread_add("nginx", 700, w::sys_sendfile);
            await().atMost(Duration.ofSeconds(10)).until(() -> k.stopped() || nginx.exited());
        }
        k.join(List.of(pagedaemon), Duration.ofSeconds(10));
        assertEquals(Kernel.FatalKind.DEADLOCK, k.fatal() == null ? null : k.fatal().kind());
        assertTrue(k.shutdown(Duration.ofSeconds(2)).isEmpty());
    }

    @Test
    void without_sendfile_the_pagedaemon_evicts_the_whole_file() {
        Kernel k = boot(false);
        SendfileRace.Workload w = cached(k, Map.of());
        assertEquals(32, VmPageout.vm_pageout_scan(k, 32));
        assertEquals(0, w.vp.v_object.resident_page_count);
    }
}
