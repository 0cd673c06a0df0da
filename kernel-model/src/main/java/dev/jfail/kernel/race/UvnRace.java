package dev.jfail.kernel.race;

import dev.jfail.kernel.kern.KThread;
import dev.jfail.kernel.kern.Kernel;
import dev.jfail.kernel.uvm.Ffs;
import dev.jfail.kernel.uvm.KernelLock;
import dev.jfail.kernel.vfs.ObsdVfsSubr;
import dev.jfail.kernel.uvm.UvmPdaemon;
import dev.jfail.kernel.uvm.UvmVnode;
import dev.jfail.kernel.vfs.Mount;
import dev.jfail.kernel.vfs.Vnode;
import dev.jfail.kernel.vm.VmObject;
import dev.jfail.kernel.vm.VmPage;
import dev.jfail.kernel.vm.VmPageout;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.jfail.kernel.race.Races.orderedMap;
import static dev.jfail.kernel.vm.VmObject.VM_OBJECT_WLOCK;
import static dev.jfail.kernel.vm.VmObject.VM_OBJECT_WUNLOCK;

/**
 * Race 3: the uvm vnode pager vs vnode recycling (OpenBSD, November 2022; seed 001). A build:
 * {@code cc} has written main.o and exited, {@code ld} has main.o open and a.out mapped; both
 * files' VM objects hold dirty pages on the inactive queue. The pagedaemon writes them out
 * (uvm_pager_put -> uvn_put -> uvn_io, the object lock dropped around VOP_WRITE) while ld reads
 * main.o, then unmaps and closes a.out and main.o: a persisting uvn keeps whatever is still dirty,
 * the vnode goes to the free list, and the files {@code sh} creates once ld has exited recycle
 * them: getnewvnode -> vgonel -> vclean (VXLOCK) -> uvm_vnp_terminate -> uvn_flush -> uvn_put.
 *
 * <p>Normally the pagedaemon is done long before ld closes the files. When it is not: the
 * original uvn_put takes no reference, and the write's ffs_write -> uvm_vnp_uncache takes a vref
 * on a vnode ld has just closed ({@code vref used where vget required}); Kettenis's vget(LK_NOWAIT)
 * makes the recycler's own flush fail ({@code uvn_flush: PGO_SYNCIO return 'try again' error
 * (impossible)}); the fixed variant skips vget when the uvn is dying, as Kettenis suggests in the
 * thread (its patch is named uvm_vnode.c 1.132, the commit: from OpenBSD's later history, not the thread).
 */
public final class UvnRace extends ModelRace {
    private static final int AOUT = 5;
    private static final int MAINO = 6;
    private static final int STAMP = 7;
    private static final int DEPEND = 8;
    private static final long DATA = 0x61_2e6f_7574_0000L;

    static final Param DIRTY = new Param("dirty_pages", 4, 1, 4096, "dirty pages of main.o, and of a.out, on the inactive queue");
    static final Param READS = new Param("ld_reads", 64, 1, 1_000_000, "blocks ld reads (main.o) before it unmaps and closes a.out");

    private static final RaceInfo INFO = new RaceInfo("uvn",
            "uvm vnode pager vs vnode recycling (OpenBSD, Nov 2022)",
            List.of(Variant.buggy("original", "uvn_put takes no reference: the pageout's ffs_write reaches"
                            + " uvm_vnp_uncache, whose vref panics 'vref used where vget required' when the last close"
                            + " came first (v_usecount 0)"),
                    Variant.attempt("vget-nowait", UvmVnode.UVN_PUT_VGET_NOWAIT, "Kettenis's diff: uvn_put takes"
                            + " vget(LK_NOWAIT), VM_PAGER_AGAIN when it fails: the recycler holds VXLOCK itself, so its"
                            + " own flush fails twice and panics"),
                    Variant.fix("fixed", UvmVnode.UVM_VNODE_1_132, "uvn_put skips vget when UVM_VNODE_DYING is set,"
                            + " as Kettenis suggests; committed as uvm_vnode.c 1.132: from OpenBSD's later history, not"
                            + " the thread")),
            Settings.projectsOwn(orderedMap(
                    "uvn_io_unlocked", "50%sleep(5)",
                    "getnewvnode_pre_vgone", "25%sleep(2)",
                    "vclean_post_vxlock", "25%sleep(2)")),
            List.of(DIRTY, READS));

    public UvnRace() {
        super(INFO, params -> OPENBSD, (k, params) -> workload(k, DIRTY.intOf(params), READS.intOf(params)));
    }

    /** OpenBSD, printing Miod Vallat's hand-transcribed trace of the PGO_SYNCIO panic as he wrote it. */
    private static final Kernel.Config OPENBSD = Kernel.Config.openbsd().shown(Kernel.PanicHead.OPENBSD,
            "uvn_flush", "uvm_vnp_terminate", "vclean", "vgonel", "getnewvnode", "ffs_vget", "ffs_inode_alloc",
            "ufs_makeinode", "ufs_create", "VOP_CREATE", "vn_open", "doopenat");

    /** OpenBSD, with the variant's uvn_put. */
    static Kernel.Config config(String variant) {
        Variant v = INFO.variant(variant);
        return OPENBSD.patched(v.patches().toArray(String[]::new));
    }

    /**
     * The build so far: cc wrote main.o and exited (its VM object persists with {@code dirty}
     * dirty pages); ld has main.o open and a.out mapped, {@code dirty} pages of it written. Both
     * objects' dirty pages are on the inactive queue, main.o's first. Then: ld reads main.o,
     * unmaps and closes a.out and main.o; the pagedaemon, woken by ld's allocations, writes the
     * dirty pages out; sh, once ld has exited, creates two files, recycling the two vnodes.
     */
    static RaceRun.Workload workload(Kernel k, int dirty, int reads) {
        ObsdVfsSubr.set_maxvnodes(k, 2);
        Mount mp = Ffs.ffs_mount(k, "/usr/obj");
        Vnode aout;
        Vnode maino;
        VmObject aoutObj;
        VmObject mainoObj;
        KernelLock.KERNEL_LOCK(k);
        try {
            maino = Ffs.ffs_vget(mp, MAINO);
            mainoObj = UvmVnode.uvn_attach(maino, (long) dirty * VmPage.PAGE_SIZE);
            dirtyPages(mainoObj, dirty, MAINO);
            UvmVnode.uvn_detach(mainoObj); // cc exits: the object persists, main.o stays open by ld
            aout = Ffs.ffs_vget(mp, AOUT);
            aoutObj = UvmVnode.uvn_attach(aout, (long) dirty * VmPage.PAGE_SIZE);
            dirtyPages(aoutObj, dirty, AOUT);
        } finally {
            KernelLock.KERNEL_UNLOCK(k);
        }
        KThread pagedaemon = k.kthread_add("pagedaemon", KernelLock.locked(k, () -> UvmPdaemon.uvm_pageout(k)));
        k.sched_lock();
        try {
            // the pagedaemon runs since boot: asleep, until ld's allocations wake it
            while (!k.sleepq_wait(null, "boot", () -> "pgdaemon".equals(pagedaemon.wmesg()), 100_000)) {
                continue;
            }
        } finally {
            k.sched_unlock();
        }
        KThread ld = k.uthread_add("ld", 4242, KernelLock.locked(k, () -> {
            UvmPdaemon.pagedaemon_wakeup(k); // its allocations find memory short
            for (long lbn = 0; lbn < reads; lbn++) {
                Ffs.ffs_read(maino, lbn % dirty);
            }
            UvmVnode.uvn_detach(aoutObj); // munmap
            Ffs.sys_close(aout);
            Ffs.sys_close(maino);
        }));
        KThread sh = k.uthread_add("sh", 4243, KernelLock.locked(k, () -> {
            KernelLock.sleep(k, null, "wait", ld::exited);
            Ffs.sys_close(Ffs.sys_open(mp, "stamp", STAMP));
            Ffs.sys_close(Ffs.sys_open(mp, ".depend", DEPEND));
        }));
        return RaceRun.Workload.of(List.of(ld, pagedaemon, sh),
                () -> lostPage(k, mainoObj, MAINO, dirty).or(() -> lostPage(k, aoutObj, AOUT, dirty)));
    }

    /** {@code n} pages of {@code uobj} written through a mapping (dirty), aged onto the inactive queue. */
    private static void dirtyPages(VmObject uobj, int n, int ino) {
        VM_OBJECT_WLOCK(uobj);
        for (int i = 0; i < n; i++) {
            VmPage m = VmPage.vm_page_alloc(uobj, i, VmPage.VM_ALLOC_NOBUSY);
            VmPage.vm_page_valid(m, data(ino, i));
            VmPage.vm_page_dirty(m);
            VmPageout.vm_page_deactivate(m);
        }
        VM_OBJECT_WUNLOCK(uobj);
    }

    private static long data(int ino, long i) {
        return DATA + ((long) ino << 8) + i;
    }

    /** Every page written through the mapping is on the disk, or still resident (dirty) in its object. */
    static Optional<String> lostPage(Kernel k, VmObject uobj, int ino, int dirty) {
        for (long i = 0; i < dirty; i++) {
            Long onDisk = Ffs.disk_block(k, ino, i);
            VmPage m = uobj.memq.get(i);
            boolean resident = m != null && m.data == data(ino, i);
            if (!resident && (onDisk == null || onDisk != data(ino, i))) {
                return Optional.of("page " + i + " of inode " + ino + " is neither on the disk nor in memory: lost");
            }
        }
        return Optional.empty();
    }
}
