package dev.jfail.kernel.race;

import dev.jfail.kernel.kern.KThread;
import dev.jfail.kernel.kern.Kernel;
import dev.jfail.kernel.kern.KernShutdown;
import dev.jfail.kernel.nfsclient.NfsClient;
import dev.jfail.kernel.vm.SwDevt;
import dev.jfail.kernel.vm.SwapPager;
import dev.jfail.kernel.vfs.VfsSubr;
import dev.jfail.kernel.vfs.Vnode;
import dev.jfail.kernel.vm.SwBlk;
import dev.jfail.kernel.vm.VmObject;
import dev.jfail.kernel.vm.VmPage;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.jfail.kernel.race.Races.orderedMap;
import static dev.jfail.kernel.vm.VmObject.VM_OBJECT_WLOCK;
import static dev.jfail.kernel.vm.VmObject.VM_OBJECT_WUNLOCK;

/**
 * Race 2: swapoff at shutdown over a doomed NFS swap vnode (FreeBSD main, then 14-CURRENT, November
 * 2021: Peter Jeremy's panic, in reply to kib's commits b19740f4ce7a and 9c62295373f7 on main). A machine swapping to a file
 * on NFS shuts down: init's reboot(2) runs kern_reboot -> bufshutdown -> swapoff_all, which pages
 * swap back in through swapdev_strategy, while the NFS client goes away with the network. What
 * dooms the swap vnode is the model's own choice (its source does not say; it says no userland is
 * left by then): the client's renew thread, at its first renewal after the shutdown began, finds
 * the server gone and dismounts by force, reclaiming the swap vnode (vgone: VBAD, VIRF_DOOMED,
 * dead ops) — see NfsClient. A page-in that locks the vnode after that meets vop_nostrategy:
 * "No strategy for buffer", the vnode dump, the pagein error 45, and bufstrategy panics.
 *
 * <p>The report names no fix (kib's two commits did not cure it). The fixed variant is the project's own: swapdev_strategy fails
 * the I/O of a doomed vnode with ENXIO, swapoff_one reports "Cannot remove swap device" and
 * swapoff_all goes on, as Peter Jeremy suggests.
 */
public final class SwapoffRace extends ModelRace {
    private static final long DATA = 0x5a5a_0000L;

    static final Param PAGES = new Param("swapped_pages", 8, 1, 4096, "pages of a process in swap at shutdown");
    static final Param RENEW_TICKS = new Param(NfsClient.RENEW_TUNABLE, NfsClient.DEFAULT_RENEW_TICKS, 1, 3_600_000,
            "period of the NFS client's renew thread in ticks (hz = 1000; FreeBSD renews every 1000); the model's"
                    + " client dismounts at its first renewal in the shutdown");

    private static final RaceInfo INFO = new RaceInfo("swapoff",
            "swapoff at shutdown over a doomed NFS swap vnode (FreeBSD main, Nov 2021; the report names no fix)",
            List.of(Variant.buggy("buggy", "FreeBSD main (14-CURRENT) with b19740f4ce7a and 9c62295373f7: swapdev_strategy locks the"
                            + " swap vnode LK_RETRY and starts the I/O whatever its state; a reclaimed vnode's"
                            + " vop_nostrategy fails it and bufstrategy panics. What reclaims it is the model's own"
                            + " choice (the report does not say): the NFS client's renew thread dismounts by force at"
                            + " its first renewal in the shutdown"),
                    Variant.fix("fixed", SwapPager.FIX_DOOMED_SWAP_VNODE, "the project's own fix (the report names"
                            + " none): after vn_lock a doomed swap vnode fails the I/O with ENXIO (as"
                            + " swapgeom_strategy does for a vanished provider); swapoff_one reports 'Cannot remove"
                            + " swap device' and swapoff_all goes on, as Peter Jeremy suggests")),
            Settings.projectsOwn(orderedMap(
                    "swapoff_all_pre", "50%sleep(" + (NfsClient.DEFAULT_RENEW_TICKS + 20) + ")",
                    "swapdev_strategy_pre_vn_lock", "25%sleep(2)")),
            List.of(PAGES, RENEW_TICKS));

    public SwapoffRace() {
        super(INFO, params -> {
            RENEW_TICKS.of(params); // checked here; the NFS client reads the tunable
            return FREEBSD;
        }, (k, params) -> workload(k, PAGES.intOf(params)));
    }

    /**
     * FreeBSD, printing a panic as the report shows it: ddb's lines and its backtrace (top to
     * bottom; db_trace_self's frames, which the model has not, left out).
     */
    private static final Kernel.Config FREEBSD = Kernel.Config.freebsd().shown(Kernel.PanicHead.FREEBSD_DDB,
            "vpanic", "panic", "bufstrategy", "swapdev_strategy", "swap_pager_getpages_locked", "swapoff_one",
            "swapoff_all", "bufshutdown", "kern_reboot", "sys_reboot", "do_el0_sync", "handle_el0_sync");

    /** FreeBSD, with the project's fix if {@code fixed}. */
    static Kernel.Config config(boolean fixed) {
        Kernel.Config config = FREEBSD;
        return fixed ? config.patched(SwapPager.FIX_DOOMED_SWAP_VNODE) : config;
    }

    /**
     * A swap file on NFS holding {@code pages} pages of a process; then init reboots (rc.shutdown
     * has ended every other process), and the NFS client goes away with the network.
     */
    static RaceRun.Workload workload(Kernel k, int pages) {
        NfsClient.NfsMount nmp = NfsClient.nfs_mount(k, "/nfs");
        renewThreadAsleep(k);
        Vnode swapfile = NfsClient.nfscl_nget(nmp, "swapfile");
        for (String name : new String[] {"home.tar", "build.log"}) {
            VfsSubr.vrele(NfsClient.nfscl_nget(nmp, name));
        }
        SwapPager.swaponvp(k, swapfile, 1024);

        VmObject object = VmObject.vm_object_allocate(k, VmObject.OBJT_SWAP, pages);
        VM_OBJECT_WLOCK(object);
        for (int i = 0; i < pages; i++) {
            VmPage m = VmPage.vm_page_alloc(object, i, VmPage.VM_ALLOC_NORMAL);
            VmPage.vm_page_valid(m, DATA + i);
            SwapPager.swap_pager_putpages(object, m);
            VmPage.vm_page_free(m);
        }
        VM_OBJECT_WUNLOCK(object);

        KThread init = k.uthread_add("init", 1, () -> KernShutdown.sys_reboot(k, KernShutdown.RB_AUTOBOOT));
        return RaceRun.Workload.of(List.of(init), () -> KernShutdown.halted(k) ? lostPage(k, object, pages)
                : Optional.of("the shutdown did not complete"));
    }

    /** The mount's renew thread has renewed once and sleeps until its next renewal. */
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
        List<SwDevt> devices = SwapPager.swtailq(k);
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
