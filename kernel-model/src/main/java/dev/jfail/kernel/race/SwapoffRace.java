package dev.jfail.kernel.race;

import dev.jfail.kernel.kern.KThread;
import dev.jfail.kernel.kern.Kernel;
import dev.jfail.kernel.swap.KernShutdown;
import dev.jfail.kernel.swap.NfsClient;
import dev.jfail.kernel.swap.SwDevt;
import dev.jfail.kernel.swap.Swap;
import dev.jfail.kernel.swap.VfsMount;
import dev.jfail.kernel.vfs.VfsSubr;
import dev.jfail.kernel.vfs.Vnode;
import dev.jfail.kernel.vm.SwBlk;
import dev.jfail.kernel.vm.VmObject;
import dev.jfail.kernel.vm.VmPage;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.jfail.kernel.vm.VmObject.VM_OBJECT_WLOCK;
import static dev.jfail.kernel.vm.VmObject.VM_OBJECT_WUNLOCK;

/**
 * Race 2: swapoff at shutdown over a doomed NFS swap vnode (FreeBSD 13, November 2021; seed 000,
 * Peter Jeremy's panic after kib's b19740f4ce7a and 9c62295373f7). A machine swapping to a file
 * on NFS shuts down while the NFS mount is unmounted by force ({@code umount -f}, the network
 * going away): init's reboot(2) runs bufshutdown -> swapoff_all, which pages swap back in through
 * swapdev_strategy; the forced unmount — once the nfscl renew thread has noticed and exited —
 * reclaims the swap vnode (vgone: VBAD, VIRF_DOOMED, dead ops). A page-in that locks the vnode
 * after that meets vop_nostrategy: "No strategy for buffer", the vnode dump, the pagein error 45,
 * and bufstrategy's KASSERT panics.
 *
 * <p>No fix was committed upstream. The fixed variant is OURS: swapdev_strategy fails the I/O of
 * a doomed vnode with ENXIO, swapoff_one reports "Cannot remove swap device" and swapoff_all goes
 * on, as the seed suggests.
 */
public final class SwapoffRace implements Race {
    private static final String PAGES = "swapped_pages";
    private static final long DATA = 0x5a5a_0000L;

    @Override
    public String id() {
        return "swapoff";
    }

    @Override
    public String title() {
        return "swapoff at shutdown over a doomed NFS swap vnode (FreeBSD 13, Nov 2021; no upstream fix)";
    }

    @Override
    public List<Variant> variants() {
        return List.of(
                new Variant("buggy", false, "FreeBSD 13 with b19740f4ce7a and 9c62295373f7: swapdev_strategy locks the"
                        + " swap vnode LK_RETRY and starts the I/O whatever its state; a reclaimed vnode's"
                        + " vop_nostrategy fails it and bufstrategy panics"),
                new Variant("fixed", true, "OUR fix, not committed upstream: after vn_lock a doomed swap vnode fails"
                        + " the I/O with ENXIO (as swapgeom_strategy does for a vanished provider); swapoff_one"
                        + " reports 'Cannot remove swap device' and swapoff_all goes on"));
    }

    @Override
    public Map<String, String> seedFailpoints() {
        Map<String, String> fp = new LinkedHashMap<>();
        fp.put("swapoff_all_pre", "50%sleep(10)");
        fp.put("swapdev_strategy_locked", "25%sleep(2)");
        return fp;
    }

    @Override
    public Map<String, String> params() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put(PAGES, "8: pages of a process in swap at shutdown");
        p.put(NfsClient.RENEW_TUNABLE, "3: period of the nfscl renew thread in ticks (hz = 1000); a forced"
                + " unmount waits for its next renewal");
        return p;
    }

    @Override
    public RunResult runOnce(String variant, RunContext ctx) {
        Variant v = variant(variant);
        int pages = RaceParams.positive(ctx.params(), PAGES, 8);
        RaceParams.positive(ctx.params(), NfsClient.RENEW_TUNABLE, 3);
        return RaceRun.run(config(v.fixed()), ctx, k -> workload(k, pages));
    }

    /** FreeBSD, with our fix if {@code fixed}. */
    static Kernel.Config config(boolean fixed) {
        Kernel.Config config = Kernel.Config.freebsd();
        return fixed ? config.patched(Swap.FIX_DOOMED_SWAP_VNODE) : config;
    }

    /**
     * A swap file on NFS holding {@code pages} pages of a process; then init reboots while
     * {@code umount -f /nfs} runs.
     */
    static RaceRun.Workload workload(Kernel k, int pages) {
        NfsClient.NfsMount nmp = NfsClient.nfs_mount(k, "/nfs");
        renewThreadAsleep(k);
        Vnode swapfile = NfsClient.nfscl_nget(nmp, "swapfile");
        for (String name : new String[] {"home.tar", "build.log"}) {
            VfsSubr.vrele(NfsClient.nfscl_nget(nmp, name));
        }
        Swap.swaponvp(k, swapfile, 1024);

        VmObject object = VmObject.vm_object_allocate(k, VmObject.OBJT_SWAP, pages);
        VM_OBJECT_WLOCK(object);
        for (int i = 0; i < pages; i++) {
            VmPage m = VmPage.vm_page_alloc(object, i, VmPage.VM_ALLOC_NORMAL);
            VmPage.vm_page_valid(m, DATA + i);
            Swap.swap_pager_putpages(object, m);
            VmPage.vm_page_free(m);
        }
        VM_OBJECT_WUNLOCK(object);

        KThread init = k.uthread_add("init", 1, () -> KernShutdown.sys_reboot(k, KernShutdown.RB_AUTOBOOT));
        KThread umount = k.uthread_add("umount", 91, () -> VfsMount.sys_unmount(k, "/nfs", VfsMount.MNT_FORCE));
        return new RaceRun.Workload() {
            @Override
            public List<KThread> threads() {
                return List.of(init, umount);
            }

            @Override
            public Optional<String> finalCheck() {
                if (!KernShutdown.halted(k)) {
                    return Optional.of("the shutdown did not complete");
                }
                return lostPage(k, object, pages);
            }
        };
    }

    /**
     * The mount was made long before the shutdown: its renew thread has run and sleeps until its
     * next renewal. (Without this wait, a slow start of the thread lets a forced unmount's
     * handshake precede its first check — an interleaving no real shutdown has.)
     */
    private static void renewThreadAsleep(Kernel k) {
        KThread nfscl = k.threads().stream().filter(t -> t.td_name().equals("nfscl")).findFirst().orElseThrow();
        k.sched_lock();
        try {
            // a thread going to sleep wakes nobody: look again every 100 us
            while (!k.sleepq_wait(null, "boot", () -> "nfscl".equals(nfscl.wmesg()), 100_000)) {
                continue;
            }
        } finally {
            k.sched_unlock();
        }
    }

    /**
     * Every page of the process survives somewhere: resident with its data (paged in by swapoff),
     * or still in swap on a device that was kept.
     */
    static Optional<String> lostPage(Kernel k, VmObject object, int pages) {
        List<SwDevt> devices = Swap.swtailq(k);
        for (long i = 0; i < pages; i++) {
            VmPage m = object.memq.get(i);
            if (m != null && VmPage.vm_page_all_valid(m)) {
                if (m.data != DATA + i) {
                    return Optional.of("page " + i + " of object " + object + " holds " + Long.toHexString(m.data)
                            + ", not " + Long.toHexString(DATA + i));
                }
                continue;
            }
            SwBlk sb = object.swblks.get(i);
            if (sb == null || devices.stream().noneMatch(sp -> sp.swp_pager_isondev(sb.blk()))) {
                return Optional.of("page " + i + " of object " + object + " is neither resident nor in swap: lost");
            }
        }
        return Optional.empty();
    }
}
