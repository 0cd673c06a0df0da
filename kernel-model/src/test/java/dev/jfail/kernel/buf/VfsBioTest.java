package dev.jfail.kernel.buf;

import dev.jfail.kernel.kern.Kernel;
import dev.jfail.kernel.vfs.DefaultVnodeops;
import dev.jfail.kernel.vfs.Mount;
import dev.jfail.kernel.vfs.Vnode;
import dev.jfail.kernel.vfs.VopVector;
import dev.jfail.kernel.vm.VmObject;
import dev.jfail.kernel.vm.VmPage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(20)
class VfsBioTest {

    private final Kernel k = new Kernel(Kernel.Config.freebsd().timeLimit(Duration.ofSeconds(10)));
    private final CompletionThread gUp = new CompletionThread(k, "g_up");
    private final AtomicInteger reads = new AtomicInteger();
    private final VopVector testfs = new VopVector("testfs", DefaultVnodeops.default_vnodeops);
    private final Mount mp = new Mount(k, "testfs", "/mnt", 4 * VmPage.PAGE_SIZE, testfs);
    private final Vnode vp = new Vnode(k, "testfs", Vnode.VREG, testfs, mp);

    VfsBioTest() {
        testfs.vop_strategy = this::testfs_strategy;
        VmObject obj = VmObject.vm_object_allocate(k, VmObject.OBJT_VNODE, 8);
        obj.handle = vp;
        obj.vnp_size = 8L * VmPage.PAGE_SIZE;
        vp.v_object = obj;
        vp.v_bufobj.bo_object = obj;
        for (int i = 0; i < 8; i++) {
            vp.v_filedata.add(1000L + i);
        }
    }

    /** The disk: the read completes on g_up with the file's data. */
    private int testfs_strategy(Vnode v, Buf bp) {
        reads.incrementAndGet();
        gUp.enqueue(() -> {
            int first = (int) (bp.b_offset / VmPage.PAGE_SIZE);
            for (int i = 0; i < bp.b_npages; i++) {
                bp.b_data[i] = v.v_filedata.get(first + i);
            }
            VfsBio.bufdone(bp);
        });
        return 0;
    }

    @AfterEach
    void stop() {
        assertTrue(k.shutdown(Duration.ofSeconds(2)).isEmpty());
    }

    @Test
    void bread_reads_a_block_into_its_pages_once_then_finds_it_cached() {
        Buf[] bpp = new Buf[1];
        assertEquals(0, VfsBio.bread(vp, 1, mp.f_iosize, bpp));
        Buf bp = bpp[0];
        assertEquals(4, bp.b_npages);
        for (int i = 0; i < 4; i++) {
            VmPage m = bp.b_pages[i];
            assertTrue(VmPage.vm_page_all_valid(m));
            assertEquals(1004L + i, m.data);
            assertEquals(4 + i, m.pindex);
            assertFalse(VmPage.vm_page_busied(m), "the I/O's shared busy ended");
            assertEquals(1, m.wire_count);
        }
        VfsBio.bqrelse(bp);
        assertEquals(0, VfsBio.bread(vp, 1, mp.f_iosize, bpp));
        assertTrue((bpp[0].b_flags & Buf.B_CACHE) != 0);
        assertEquals(1, reads.get(), "the second bread is a cache hit");
        VfsBio.brelse(bpp[0]);
        assertEquals(0, bp.b_npages);
        assertNull(k.fatal());
    }

    @Test
    void a_null_dereference_in_a_completion_is_an_oops_on_linux_said_as_the_models() {
        Kernel linux = new Kernel(Kernel.Config.linux());
        CompletionThread softirq = new CompletionThread(linux, "ksoftirqd/0");
        Object[] rdev = {null};
        softirq.enqueue(() -> super_written(rdev));
        linux.join(List.of(softirq.thread()), Duration.ofSeconds(5));
        assertEquals(Kernel.FatalKind.OOPS, linux.fatal().kind());
        assertTrue(linux.fatal().report().startsWith("model: NULL pointer dereference in super_written"),
                linux.fatal().report());
        assertTrue(linux.shutdown(Duration.ofSeconds(2)).isEmpty());
    }

    private static void super_written(Object[] rdev) {
        rdev[0].hashCode();
    }
}
