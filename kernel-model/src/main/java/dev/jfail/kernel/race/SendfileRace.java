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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.jfail.kernel.vm.VmObject.VM_OBJECT_WLOCK;
import static dev.jfail.kernel.vm.VmObject.VM_OBJECT_WUNLOCK;

/**
 * Race 5: sendfile over FUSE deadlocks (FreeBSD bug 246886; fixed in r359473 / D24038).
 *
 * <p>A file on a FUSE mount (sshfs, blocks of {@code f_iosize} = 64 KiB) is cached: all its pages
 * are valid and on the inactive queue. Under memory pressure the pagedaemon evicts them, a batch
 * of pages at a time, dropping the object lock between batches. An nginx worker calls sendfile on
 * the file at some moment. If it grabs the pages while the pagedaemon is between two batches of
 * one block, the block is partly evicted: an invalid page with valid pages after it. Buggy
 * sendfile_swapin leaves those valid pages exclusive-busy when it trims them off the run; the
 * FUSE pager reads the whole block through the buffer cache (vfs_bio_getpages, bread, getblkx,
 * allocbuf, vfs_vmio_extend, vm_page_grab_pages) and sleeps on a page it holds itself: WITNESS
 * reports the deadlock. With f_iosize = PAGE_SIZE a block is one page and the bug hides.
 */
public final class SendfileRace implements Race {

    @Override
    public String id() {
        return "sendfile";
    }

    @Override
    public String title() {
        return "sendfile over FUSE deadlock (FreeBSD bug 246886, fixed r359473)";
    }

    @Override
    public List<Variant> variants() {
        return List.of(
                new Variant("buggy", false, "FreeBSD 12 (f_iosize 64 KiB since r337165): sendfile_swapin leaves "
                        + "the valid pages it trims off a run exclusive-busy while the pager reads the whole block"),
                new Variant("fixed", true, "r359473 (D24038): the run's valid pages are unbusied (bogus_page) "
                        + "before the pager is called"));
    }

    /** RACES.md names the failpoints but the seed (a bug report) gives no settings: these are ours. */
    @Override
    public Map<String, String> seedFailpoints() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("pageout_evict_partial_block", "sleep(2)");
        m.put("sendfile_swapin_pre_getpages", "off");
        m.put("vfs_bio_getpages_pre_bread", "off");
        return m;
    }

    @Override
    public Map<String, String> params() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("f_iosize", "65536: the FUSE mount's block size (4096 = PAGE_SIZE hides the bug)");
        m.put("pages", "32: pages of the file (all sent)");
        m.put("shortage", "32: pages the pagedaemon must free");
        m.put("jitter_us", "1000: nginx calls sendfile at a random moment within this many microseconds");
        return m;
    }

    @Override
    public RunResult runOnce(String variant, RunContext ctx) {
        Variant v = variant(variant);
        Params p = new Params(ctx.params());
        Kernel.Config config = Kernel.Config.freebsd();
        if (v.fixed()) {
            config = config.patched(KernSendfile.R359473);
        }
        return RaceRun.run(config, ctx, k -> new Workload(k, p).start());
    }

    static final class Params {
        final int fIosize;
        final int pages;
        final int shortage;
        final int jitterUs;

        static Params defaults() {
            return new Params(Map.of());
        }

        Params(Map<String, String> params) {
            fIosize = (int) RaceParams.num(params, "f_iosize", 65536, VmPage.PAGE_SIZE, 1 << 20);
            if (fIosize % VmPage.PAGE_SIZE != 0) {
                throw new IllegalArgumentException("param f_iosize=" + fIosize + ": must be a multiple of " + VmPage.PAGE_SIZE);
            }
            pages = (int) RaceParams.num(params, "pages", 32, 1, 4096);
            shortage = (int) RaceParams.num(params, "shortage", pages, 0, 1 << 20);
            jitterUs = (int) RaceParams.num(params, "jitter_us", 1000, 0, 1_000_000);
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
            threads.add(k.kthread_add("pagedaemon", () -> VmPageout.vm_pageout_scan(k, p.shortage)));
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
