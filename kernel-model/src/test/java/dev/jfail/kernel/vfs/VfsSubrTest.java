package dev.jfail.kernel.vfs;

import dev.jfail.kernel.buf.Buf;
import dev.jfail.kernel.buf.VfsBio;
import dev.jfail.kernel.kern.Errno;
import dev.jfail.kernel.kern.Kernel;
import dev.jfail.kernel.kern.KernelPanic;
import dev.jfail.kernel.kern.SleepLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(20)
class VfsSubrTest {

    private final Kernel k = new Kernel(Kernel.Config.freebsd().timeLimit(Duration.ofSeconds(10)));
    private final VopVector nfs = new VopVector("nfs", DefaultVnodeops.default_vnodeops);
    private final Mount mp = new Mount(k, "nfs", "/swap", 4096, nfs);

    private Vnode newvnode() {
        Vnode vp = VfsSubr.getnewvnode(k, "nfs", mp, nfs);
        vp.v_type = Vnode.VREG;
        return vp;
    }

    @Test
    void references_count_and_the_last_vrele_frees_the_vnode_to_the_free_list() {
        Vnode vp = newvnode();
        assertEquals(1, vp.v_usecount);
        VfsSubr.vref(vp);
        assertEquals(2, vp.v_usecount);
        assertEquals(2, vp.v_holdcnt);
        VfsSubr.vrele(vp);
        VfsSubr.vrele(vp);
        assertEquals(0, vp.v_usecount);
        assertTrue(VfsSubr.freelist(k).contains(vp));
        assertEquals(0, VfsSubr.vget(vp, 0));
        assertFalse(VfsSubr.freelist(k).contains(vp), "vget takes it off the free list");
        VfsSubr.vhold(vp);
        VfsSubr.vrele(vp);
        assertFalse(VfsSubr.freelist(k).contains(vp), "a held vnode is not free");
        VfsSubr.vdrop(vp);
        assertTrue(VfsSubr.freelist(k).contains(vp));
    }

    @Test
    void vrele_of_an_unreferenced_vnode_panics() {
        Vnode vp = newvnode();
        VfsSubr.vrele(vp);
        assertThrows(KernelPanic.class, () -> VfsSubr.vrele(vp));
        assertTrue(k.fatal().message().startsWith("vrele: negative ref cnt"));
    }

    @Test
    void openbsd_vref_on_an_unused_vnode_panics() {
        Kernel obsd = new Kernel(Kernel.Config.openbsd());
        Vnode vp = VfsSubr.getnewvnode(obsd, "ffs", null, DefaultVnodeops.default_vnodeops);
        VfsSubr.vrele(vp);
        KernelPanic p = assertThrows(KernelPanic.class, () -> VfsSubr.vref(vp));
        assertEquals("vref used where vget required", p.getMessage());
        assertTrue(obsd.fatal().report().startsWith("panic: vref used where vget required\nmodel: "), obsd.fatal().report());
    }

    @Test
    void vget_of_a_vnode_being_cleaned_fails_busy_with_nowait() {
        Vnode vp = newvnode();
        vp.v_flag |= Vnode.VXLOCK;
        assertEquals(Errno.EBUSY, VfsSubr.vget(vp, SleepLock.LK_NOWAIT));
    }

    @Test
    void vgone_dooms_the_vnode_and_gives_it_the_dead_ops() {
        Vnode vp = newvnode();
        int[] reclaimed = {0};
        nfs.vop_reclaim = v -> ++reclaimed[0];
        VfsSubr.vgone(vp);
        assertEquals(1, reclaimed[0]);
        assertTrue(Vnode.VN_IS_DOOMED(vp));
        assertEquals(Vnode.VBAD, vp.v_type);
        assertSame(DeadVnodeops.dead_vnodeops, vp.v_op);
        assertEquals(Errno.ENOENT, VfsSubr.vn_lock(vp, SleepLock.LK_SHARED), "doomed: no lock without LK_RETRY");
        assertEquals(0, VfsSubr.vn_lock(vp, SleepLock.LK_SHARED | SleepLock.LK_RETRY));
        VfsSubr.VOP_UNLOCK(vp);
    }

    @Test
    void a_buffer_sent_to_a_dead_vnode_meets_vop_nostrategy() {
        Vnode vp = newvnode();
        VfsSubr.vgone(vp);
        VfsSubr.vn_lock(vp, SleepLock.LK_SHARED | SleepLock.LK_RETRY);
        Buf bp = VfsBio.getpbuf(k);
        bp.b_iocmd = Buf.BIO_READ;
        bp.b_iodone = b -> { };
        assertEquals(Errno.EOPNOTSUPP, Vop.VOP_STRATEGY(vp, bp));
        assertEquals(Errno.EOPNOTSUPP, bp.b_error);
        String console = k.console();
        assertTrue(console.contains("No strategy for buffer at " + bp), console);
        assertTrue(console.contains("vnode " + vp + ": type VBAD"), console);
        assertTrue(console.contains("flags (VIRF_DOOMED)"), console);
        assertTrue(console.contains("lock type nfs: SHARED (count 1)"), console);
    }

    @Test
    void getnewvnode_recycles_the_oldest_free_vnode_at_maxvnodes() {
        Kernel small = new Kernel(Kernel.Config.freebsd().tunables(Map.of("kern.maxvnodes", "2")));
        Vnode a = VfsSubr.getnewvnode(small, "ufs", null, DefaultVnodeops.default_vnodeops);
        Vnode b = VfsSubr.getnewvnode(small, "ufs", null, DefaultVnodeops.default_vnodeops);
        VfsSubr.vrele(a);
        Vnode c = VfsSubr.getnewvnode(small, "ufs", null, DefaultVnodeops.default_vnodeops);
        assertTrue(Vnode.VN_IS_DOOMED(a), "a was recycled for c");
        assertFalse(Vnode.VN_IS_DOOMED(b));
        assertFalse(Vnode.VN_IS_DOOMED(c));
    }
}
