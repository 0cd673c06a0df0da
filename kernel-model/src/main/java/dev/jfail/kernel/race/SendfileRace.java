package dev.jfail.kernel.race;

import dev.jfail.kernel.buf.CompletionThread;
import dev.jfail.kernel.kern.KThread;
import dev.jfail.kernel.kern.Kernel;
import dev.jfail.kernel.sendfile.KernSendfile;
import dev.jfail.kernel.vfs.FuseVnops;
import dev.jfail.kernel.vfs.Mount;
import dev.jfail.kernel.vfs.VfsSubr;
import dev.jfail.kernel.vfs.Vnode;
import dev.jfail.kernel.vm.VmObject;
import dev.jfail.kernel.vm.VmPage;
import dev.jfail.kernel.vm.VmPageout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.jfail.kernel.race.Races.orderedMap;
import static dev.jfail.kernel.vm.VmObject.VM_OBJECT_WLOCK;
import static dev.jfail.kernel.vm.VmObject.VM_OBJECT_WUNLOCK;

/**
 * Race 5: sendfile over FUSE deadlocks (FreeBSD bug 246886, comment 70). The fix is named after
 * r359473 (D24038), which is from FreeBSD's later history, not the report.
 *
 * <p>A file on a FUSE mount (sshfs, blocks of {@code f_iosize} = 64 KiB) is cached: all its pages
 * are valid and on the inactive queue. The pagedaemon's next pass (it wakes every {@code
 * pageout_ticks}, hz/10 in FreeBSD) frees {@code shortage} pages from the inactive queue, by
 * default half of the file's first block: the pass ends inside the block, which stays partly
 * cached — an invalid page with valid pages after it: the report's "partially loaded" f_iosize
 * block, a lasting state. That the pagedaemon makes it is the model's choice: the report does not
 * say how such a block comes about. An nginx worker calls sendfile on the file at a random moment within {@code jitter_us}.
 * The race is the eviction of part of the block against the sendfile of it: normally nginx has
 * sent the file long before the pass; when its sendfile comes after, the deadlock follows every
 * time. Buggy sendfile_swapin leaves the block's valid tail exclusive-busy when it trims it off
 * the run; the FUSE pager reads the whole block through the buffer cache (vfs_bio_getpages,
 * bread, getblkx, allocbuf, vfs_vmio_extend, vm_page_grab_pages) and sleeps on a page it holds
 * itself: the model's WITNESS reports the deadlock (the real kernel printed nothing). With f_iosize = PAGE_SIZE a block is one page and the bug
 * hides.
 */
public final class SendfileRace extends ModelRace {

    /** vm_pageout_worker's period without a shortage: hz/10. */
    static final int DEFAULT_PAGEOUT_TICKS = 100;

    static final Param F_IOSIZE = new Param("f_iosize", 65536, VmPage.PAGE_SIZE, 1 << 20,
            "the FUSE mount's block size, a multiple of 4096 (4096 = PAGE_SIZE hides the bug)");
    static final Param PAGES = new Param("pages", 32, 1, 4096, "pages of the file (all sent)");
    static final Param SHORTAGE = new Param("shortage", 8, 0, 1 << 20, "pages the pagedaemon's pass frees, from the"
            + " file's first page (8: half a 64 KiB block); a pass that ends inside a block leaves it partly cached");
    static final Param PAGEOUT_TICKS = new Param("pageout_ticks", DEFAULT_PAGEOUT_TICKS, 0, 60_000,
            "ticks (hz = 1000) until the pagedaemon's next pass");
    static final Param JITTER_US = new Param("jitter_us", 1000, 0, 1_000_000,
            "nginx calls sendfile at a random moment within this many microseconds");

    private static final RaceInfo INFO = new RaceInfo("sendfile",
            "sendfile over FUSE deadlock (FreeBSD bug 246886)",
            List.of(Variant.buggy("buggy", "FreeBSD after r337165 (f_iosize 64 KiB), as comment 70 describes it: "
                            + "sendfile_swapin leaves the valid pages it trims off a run exclusive-busy while the pager"
                            + " reads the whole block"),
                    Variant.fix("fixed", KernSendfile.R359473, "the trim loop unbusies the valid pages it trims off"
                            + " the run: r359473 (D24038), from FreeBSD's later history, not the report")),
            // nginx's sendfile is delayed past the pagedaemon's pass half the time; the other points are for holds
            Settings.projectsOwn(orderedMap(
                    "sendfile_swapin_pre_grab", "50%sleep(" + (DEFAULT_PAGEOUT_TICKS + 20) + ")",
                    "pageout_evict_partial_block", "off",
                    "sendfile_swapin_pre_getpages", "off",
                    "vfs_bio_getpages_pre_bread", "off")),
            List.of(F_IOSIZE, PAGES, SHORTAGE, PAGEOUT_TICKS, JITTER_US));

    public SendfileRace() {
        super(INFO, params -> FREEBSD, (k, params) -> new Workload(k, new Params(params)).start());
    }

    @Override
    public void checkParams(Map<String, String> params) {
        super.checkParams(params);
        new Params(params);
    }

    /** FreeBSD; the deadlock's backtrace as comment 70 of the bug shows it (its top, the sleep's own frames, cut there). */
    static final Kernel.Config FREEBSD = Kernel.Config.freebsd().shown(Kernel.PanicHead.FREEBSD_DDB,
            "vm_page_grab_pages", "allocbuf", "getblkx", "breadn_flags", "vfs_bio_getpages", "fuse_vnop_getpages",
            "VOP_GETPAGES_APV", "vop_stdgetpages_async", "VOP_GETPAGES_ASYNC_APV", "vnode_pager_getpages_async",
            "vn_sendfile", "sendfile", "amd64_syscall", "fast_syscall_common");

    static final class Params {
        final int fIosize;
        final int pages;
        final int shortage;
        final int jitterUs;
        final int pageoutTicks;

        static Params defaults() {
            return new Params(Map.of());
        }

        Params(Map<String, String> params) {
            fIosize = F_IOSIZE.intOf(params);
            if (fIosize % VmPage.PAGE_SIZE != 0) {
                throw new IllegalArgumentException("param f_iosize=" + fIosize + ": must be a multiple of " + VmPage.PAGE_SIZE);
            }
            pages = PAGES.intOf(params);
            shortage = SHORTAGE.intOf(params);
            pageoutTicks = PAGEOUT_TICKS.intOf(params);
            jitterUs = JITTER_US.intOf(params);
        }
    }

    /** One run: the mount, the cached file, the pagedaemon and nginx. */
    static final class Workload implements RaceRun.Workload {
        final Kernel k;
        final Params p;
        final Vnode vp;
        final List<KThread> threads = new ArrayList<>();
        volatile long[] sent;

        Workload(Kernel k, Params p) {
            this.k = k;
            this.p = p;
            CompletionThread daemon = new CompletionThread(k, "sshfs", 650);
            Mount mp = new Mount(k, "fusefs", "/mnt/www", p.fIosize, FuseVnops.fuse_vnodeops);
            mp.mnt_data = new FuseVnops.FuseData(daemon);
            vp = VfsSubr.getnewvnode(k, "fuse", mp, FuseVnops.fuse_vnodeops);
            vp.v_type = Vnode.VREG;
            VmObject obj = VmObject.vm_object_allocate(k, VmObject.OBJT_VNODE, p.pages);
            obj.handle = vp;
            obj.vnp_size = (long) p.pages * VmPage.PAGE_SIZE;
            vp.v_object = obj;
            vp.v_bufobj.bo_object = obj;
        }

        /** The file was read before: every page cached, valid, clean, inactive in file order. */
        void setup() {
            VmObject obj = vp.v_object;
            VM_OBJECT_WLOCK(obj);
            for (int i = 0; i < p.pages; i++) {
                vp.v_filedata.add(7000L + i);
                VmPage m;
                do {
                    m = VmPage.vm_page_alloc(obj, i, VmPage.VM_ALLOC_NORMAL);
                } while (m == null);
                VmPage.vm_page_valid(m, 7000L + i);
                VmPage.vm_page_xunbusy(m);
                VmPageout.vm_page_deactivate(m);
            }
            VM_OBJECT_WUNLOCK(obj);
        }

        Workload start() {
            setup();
            int jitter = p.jitterUs == 0 ? 0 : k.random(p.jitterUs);
            // vm_pageout_worker: it ran at boot; its next pass is a period later
            k.kthread_add("pagedaemon", () -> {
                k.pause("psleep", p.pageoutTicks);
                VmPageout.vm_pageout_scan(k, p.shortage);
            });
            // the run is nginx's: a pass after it changes nothing that is checked
            threads.add(k.uthread_add("nginx", 700, () -> {
                k.DELAY(jitter);
                sys_sendfile();
            }));
            return this;
        }

        /** sendfile(2) of the whole file to a socket. */
        void sys_sendfile() {
            sent = KernSendfile.vn_sendfile(vp, 0, p.pages);
        }

        @Override
        public List<KThread> threads() {
            return threads;
        }

        /** What nginx sent is the file. */
        @Override
        public Optional<String> finalCheck() {
            long[] s = sent;
            if (s == null) {
                return Optional.of("data loss: sendfile sent nothing");
            }
            StringBuilder lost = new StringBuilder();
            for (int i = 0; i < s.length; i++) {
                if (s[i] != 7000L + i) {
                    lost.append(String.format("data loss: sendfile sent %d for page %d of vnode %s, the file holds %d%n",
                            s[i], i, vp, 7000L + i));
                }
            }
            return lost.isEmpty() ? Optional.empty() : Optional.of(lost.toString());
        }
    }
}
