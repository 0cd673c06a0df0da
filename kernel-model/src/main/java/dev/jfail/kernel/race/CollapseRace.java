package dev.jfail.kernel.race;

import dev.jfail.kernel.kern.KThread;
import dev.jfail.kernel.kern.Kernel;
import dev.jfail.kernel.vm.Pmap;
import dev.jfail.kernel.vm.SwBlk;
import dev.jfail.kernel.vm.SwapPager;
import dev.jfail.kernel.vm.VmFault;
import dev.jfail.kernel.vm.VmMap;
import dev.jfail.kernel.vm.VmObject;
import dev.jfail.kernel.vm.VmObjectCollapse;
import dev.jfail.kernel.vm.VmPage;
import dev.jfail.kernel.vm.VmPageout;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.jfail.kernel.race.Races.orderedMap;
import static dev.jfail.kernel.vm.VmObject.VM_OBJECT_WLOCK;
import static dev.jfail.kernel.vm.VmObject.VM_OBJECT_WUNLOCK;

/**
 * Race 1: vm_object_collapse vs vm_fault (FreeBSD D4103, November 2015: cem's report, on OneFS and
 * FreeBSD's head of the time). The fixed variant does what D4103's summary says the WAIT scan must;
 * its patch is named r291576, the commit that did it, which is from FreeBSD's later history, not the report.
 *
 * <p>A process ({@code make}, pid 812) forked a child ({@code sh}, pid 813); its memory is the
 * shadow object P in front of the anonymous object B they shared. Some pages were already copied
 * into P; the others are B's pages, mapped read-only into make's pmap, or only in B's swap. The
 * child exits: vm_object_deallocate drops its reference to B, which leaves B with P as its only
 * reference and shadow, so B is collapsed into P (vm_object_collapse, OBSC_COLLAPSE_WAIT scan).
 * Meanwhile make keeps writing its pages: write faults copy B's pages up into P.
 *
 * <p>When vm_page_rename fails the scan drops both locks and waits for the pagedaemon's next pass
 * (VM_WAIT); a fault then leaves its busy, invalid placeholder in P and, finding B dead, unlocks B
 * before relocking P to free it. The restarted buggy scan takes the placeholder as shadowing B's
 * page and frees that page though it is still mapped: the report's {@code panic @ time ..., thread
 * 0x...: freeing mapped page 0x...}
 * (with INVARIANTS; without, the data is lost and the final check says so).
 */
public final class CollapseRace extends ModelRace {
    private static final long VA0 = 0x800000000L;

    static final Param PAGES = new Param("pages", 16, 1, 1024, "pages in the process's region");
    static final Param RADIX_FAIL_PPM = new Param("radix_fail_ppm", 100, 0, 1_000_000,
            "M_NOWAIT radix node allocations that fail, per million (memory pressure)");
    static final Param INVARIANTS = new Param("invariants", 1, 0, 1,
            "1: KASSERTs compiled in; 0: the bug shows as data loss instead of a panic");
    static final Param MAX_FAULTS = new Param("max_faults", 5000, 1, 10_000_000, "bound on the faults of one run");
    static final Param THINK_US = new Param("think_us", 50, 0, 1_000_000,
            "the process works up to this many microseconds between two writes");

    private static final RaceInfo INFO = new RaceInfo("collapse",
            "vm_object_collapse vs vm_fault (FreeBSD D4103, Nov 2015)",
            List.of(Variant.buggy("buggy", "FreeBSD head as of D4103 (Nov 2015): the WAIT scan frees the backing page"
                            + " whenever the parent has a page, even a busy invalid placeholder of vm_fault"),
                    Variant.fix("fixed", VmObjectCollapse.R291576, "as D4103's summary asks: the WAIT scan drains the"
                            + " busy parent page and tries again from the top. Done as r291576 (from FreeBSD's later"
                            + " history, not the report), with its check that a parent page not busy is valid")),
            Settings.fromSource("cem's, in D4103", orderedMap(
                    "unlock_and_deallocate_relock", "50%sleep(10)",
                    "vmob_scan_rename_unlock", "20%return(1)")),
            List.of(PAGES, RADIX_FAIL_PPM, INVARIANTS, MAX_FAULTS, THINK_US));

    public CollapseRace() {
        super(INFO, params -> FREEBSD.invariants(new Params(params).invariants),
                (k, params) -> new Workload(k, new Params(params)).start());
    }

    /** radix_fail_ppm is the kernel's tunable vm.radix_node_nowait_fail_ppm. */
    @Override
    RunContext context(RunContext ctx) {
        Map<String, String> tunables = new LinkedHashMap<>(ctx.params());
        tunables.put("vm.radix_node_nowait_fail_ppm", Long.toString(new Params(ctx.params()).radixFailPpm));
        return ctx.withParams(tunables);
    }

    /** The report's panic line is OneFS's ({@code panic @ time ..., thread 0x...: freeing mapped page}); it shows no trace. */
    static final Kernel.Config FREEBSD = Kernel.Config.freebsd().shown(Kernel.PanicHead.ONEFS);

    static final class Params {
        final int pages;
        final long radixFailPpm;
        final boolean invariants;
        final int maxFaults;
        final int thinkUs;

        static Params defaults() {
            return new Params(Map.of());
        }

        Params(Map<String, String> params) {
            pages = PAGES.intOf(params);
            radixFailPpm = RADIX_FAIL_PPM.of(params);
            invariants = INVARIANTS.of(params) == 1;
            maxFaults = MAX_FAULTS.intOf(params);
            thinkUs = THINK_US.intOf(params);
        }
    }

    /** One run: the objects, the pages, the two processes, and the final check. */
    static final class Workload implements RaceRun.Workload {
        final Kernel k;
        final Params p;
        final Pmap pmap;
        final VmObject backing;
        final VmObject parent;
        final VmMap map;
        final long[] expected;
        final List<KThread> threads = new ArrayList<>();
        final AtomicBoolean collapsed = new AtomicBoolean();
        final CountDownLatch gate = new CountDownLatch(1);
        int protectionFailures;

        Workload(Kernel k, Params p) {
            this.k = k;
            this.p = p;
            this.pmap = new Pmap(k, "make");
            this.backing = VmObject.vm_object_allocate(k, VmObject.OBJT_SWAP, p.pages);
            this.parent = VmObject.vm_object_shadow(backing, 0, p.pages);
            this.map = new VmMap(pmap, VA0, VA0 + (long) p.pages * VmPage.PAGE_SIZE, parent, 0);
            this.expected = new long[p.pages];
        }

        long va(int i) {
            return VA0 + (long) i * VmPage.PAGE_SIZE;
        }

        Workload start() {
            setup();
            VmPageout.vm_pageout(k, p.pages); // the pagedaemon, which VM_WAIT wakes; it runs until the kernel stops
            threads.add(k.uthread_add("make", 812, this::make));
            threads.add(k.uthread_add("sh", 813, this::sys_exit));
            gate.countDown();
            return this;
        }

        /** The state after fork: B's pages mapped or in swap, some already copied into P. */
        void setup() {
            backing.ref_count = 2; // P's reference, and the one the exiting child still holds
            VM_OBJECT_WLOCK(parent);
            VM_OBJECT_WLOCK(backing);
            for (int i = 0; i < p.pages; i++) {
                long old = 1000 + i;
                switch (i % 4) {
                    case 0 -> { // copied into P before: B's page is stale and unmapped
                        VmPage stale = page(backing, i, old);
                        VmPage.vm_page_xunbusy(stale);
                        VmPage mine = page(parent, i, 2000 + i);
                        Pmap.pmap_enter(pmap, va(i), mine);
                        VmPage.vm_page_xunbusy(mine);
                        expected[i] = 2000 + i;
                    }
                    case 3 -> { // paged out: only in B's swap
                        SwapPager.swp_pager_meta_build(backing, i, 0x3b000 + i, old);
                        expected[i] = old;
                    }
                    default -> { // B's page, mapped read-only by the last read fault
                        VmPage shared = page(backing, i, old);
                        Pmap.pmap_enter(pmap, va(i), shared);
                        VmPage.vm_page_xunbusy(shared);
                        expected[i] = old;
                    }
                }
            }
            VM_OBJECT_WUNLOCK(backing);
            VM_OBJECT_WUNLOCK(parent);
        }

        private VmPage page(VmObject o, long pindex, long data) {
            VmPage m;
            do {
                m = VmPage.vm_page_alloc(o, pindex, VmPage.VM_ALLOC_NORMAL);
            } while (m == null); // the radix zone may fail even here; setup just tries again
            VmPage.vm_page_valid(m, data);
            return m;
        }

        private void awaitGate() {
            try {
                gate.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** The parent process keeps writing its resident pages while its child exits. */
        private void make() {
            awaitGate();
            int faults = 0;
            for (int pass = 0; faults < p.maxFaults; pass++) {
                boolean last = collapsed.get();
                for (int i = 0; i < p.pages && faults < p.maxFaults; i++) {
                    if (i % 4 == 3) {
                        continue;
                    }
                    long delta = 5000 + pass * 100L + i;
                    faults++;
                    k.DELAY(k.random(p.thinkUs + 1)); // the process works between two writes

                    if (trap_pfault(va(i), delta)) {
                        expected[i] = VmFault.modify(expected[i], delta);
                    }
                }
                if (last) {
                    break;
                }
            }
        }

        /**
         * trap_pfault: the fault. The 2015 kernel returned KERN_PROTECTION_FAILURE for a fault that met
         * the dead backing object (cem's "separate bug": the process got a signal); the model's
         * process instead waits for the collapse to finish (P's paging_in_progress) and faults again.
         */
        boolean trap_pfault(long va, long delta) {
            while (VmFault.vm_fault_hold(map, va, VmFault.VM_PROT_WRITE, delta) != VmFault.KERN_SUCCESS) {
                protectionFailures++;
                if (protectionFailures > p.maxFaults) {
                    return false;
                }
                VM_OBJECT_WLOCK(parent);
                VmObject.vm_object_pip_wait(parent, "pfault");
                VM_OBJECT_WUNLOCK(parent);
            }
            return true;
        }

        /** The child exits: its reference to B goes, B is collapsed into P. */
        private void sys_exit() {
            awaitGate();
            exit1();
        }

        private void exit1() {
            vmspace_exit();
        }

        void vmspace_exit() {
            VmObjectCollapse.vm_object_deallocate(backing);
            collapsed.set(true);
        }

        @Override
        public List<KThread> threads() {
            return threads;
        }

        /** Every page's data survives in P's chain (a valid page or a swap block); no mapped page was freed. */
        @Override
        public Optional<String> finalCheck() {
            StringBuilder lost = new StringBuilder();
            for (int i = 0; i < p.pages; i++) {
                VmPage mapped = Pmap.pmap_extract(pmap, va(i));
                if (mapped != null && mapped.freed) {
                    lost.append(String.format("data loss: page %s mapped at 0x%x (pindex %d) was freed%n", mapped, va(i), i));
                } else if (mapped != null && mapped.data != expected[i]) {
                    lost.append(String.format("data loss: the page mapped at 0x%x (pindex %d) holds %d, expected %d%n",
                            va(i), i, mapped.data, expected[i]));
                }
                Long found = lookup(i);
                if (found == null) {
                    lost.append(String.format("data loss: pindex %d of object %s is in no page and no swap block "
                            + "(expected data %d)%n", i, parent, expected[i]));
                } else if (found != expected[i]) {
                    lost.append(String.format("data loss: pindex %d of object %s holds %d, expected %d%n",
                            i, parent, found, expected[i]));
                }
            }
            return lost.isEmpty() ? Optional.empty() : Optional.of(lost.toString());
        }

        private Long lookup(long pindex) {
            VmObject o = parent;
            long idx = pindex;
            while (o != null) {
                VM_OBJECT_WLOCK(o);
                try {
                    VmPage m = VmPage.vm_page_lookup(o, idx);
                    if (m != null && VmPage.vm_page_all_valid(m)) {
                        return m.data;
                    }
                    SwBlk blk = o.swblks.get(idx);
                    if (blk != null) {
                        return blk.data();
                    }
                    idx += VmObject.OFF_TO_IDX(o.backing_object_offset);
                } finally {
                    VM_OBJECT_WUNLOCK(o);
                }
                o = o.backing_object;
            }
            return null;
        }
    }
}
