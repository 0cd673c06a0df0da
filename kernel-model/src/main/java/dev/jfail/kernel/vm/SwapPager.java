package dev.jfail.kernel.vm;

import dev.jfail.kernel.sys.Param;

import dev.jfail.FailPoint;
import dev.jfail.kernel.buf.Buf;
import dev.jfail.kernel.buf.VfsBio;
import dev.jfail.kernel.kern.Errno;
import dev.jfail.kernel.kern.Kernel;
import dev.jfail.kernel.kern.KernelPanic;
import dev.jfail.kernel.kern.SleepLock;
import dev.jfail.kernel.vfs.VfsSubr;
import dev.jfail.kernel.vfs.Vnode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.jfail.kernel.vm.VmObject.VM_OBJECT_WLOCK;
import static dev.jfail.kernel.vm.VmObject.VM_OBJECT_WUNLOCK;

/**
 * vm/swap_pager.c (FreeBSD main, then 14-CURRENT, November 2021, after b19740f4ce7a "lock vnode in
 * swapdev_strategy()" and 9c62295373f7): which pages of an object live in which swap blocks
 * ({@link VmObject#swblks}: swap_pager_haspage, swp_pager_meta_build, swap_pager_freespace,
 * swap_pager_copy), swap devices (swaponvp, swapoff_all, swapoff_one), swap I/O
 * (swap_pager_putpages, swap_pager_getpages_locked, swp_pager_strategy, swapdev_strategy,
 * swp_pager_async_iodone), and swapoff paging everything back in (swap_pager_swapoff).
 *
 * <p>swapdev_strategy holds the swap vnode locked (LK_SHARED|LK_RETRY) across the I/O, but a
 * vnode reclaimed before that is locked all the same: it has the dead vnode operations, whose
 * vop_nostrategy fails the buffer, and bufstrategy's KASSERT panics. Our fix (not upstream's:
 * none was committed) checks for a doomed vnode after vn_lock.
 */
public final class SwapPager {
    /** Our fix, not committed upstream: a doomed swap vnode fails the I/O with ENXIO and swapoff skips the device. */
    public static final String FIX_DOOMED_SWAP_VNODE = "jfail:swapdev_strategy-doomed-enxio";
    public static final int SWAPOFF_FORCE = 0x00000001;
    static final int B_PAGING = 0x00000010;
    private static final int PAGE_SIZE = VmPage.PAGE_SIZE;

    /** The swap devices and the objects with swap, per kernel. */
    static final class SwapState {
        final List<SwDevt> swtailq = new CopyOnWriteArrayList<>();
        final List<VmObject> vm_object_list = new CopyOnWriteArrayList<>();
        final SleepLock swdev_syscall_lock;
        long nswap;

        SwapState(Kernel k) {
            swdev_syscall_lock = SleepLock.mtx(k, "swsysc");
        }
    }

    private SwapPager() {
    }

    static SwapState swap(Kernel k) {
        return k.subsystem(SwapState.class, SwapState::new);
    }

    /** The objects that have (had) pages in swap. */
    public static List<VmObject> objects(Kernel k) {
        return List.copyOf(swap(k).vm_object_list);
    }

    /** The swap devices in use. */
    public static List<SwDevt> swtailq(Kernel k) {
        return List.copyOf(swap(k).swtailq);
    }

    // ------------------------------------------------------------------ swap metadata

    /** swap_pager_haspage: whether swap holds page {@code pindex} of the object (object locked). */
    public static boolean swap_pager_haspage(VmObject object, long pindex, int[] before, int[] after) {
        boolean has = object.swblks.containsKey(pindex);
        if (has) {
            if (before != null) {
                before[0] = 0;
            }
            if (after != null) {
                after[0] = 0;
            }
        }
        return has;
    }

    /** swp_pager_meta_build: records that page {@code pindex} is in swap block {@code blk}, holding {@code data}. */
    public static void swp_pager_meta_build(VmObject object, long pindex, long blk, long data) {
        object.swblks.put(pindex, new SwBlk(blk, data));
    }

    /** swap_pager_freespace: frees the swap of pages [start, start+size) of the object. */
    public static void swap_pager_freespace(VmObject object, long start, long size) {
        object.swblks.subMap(start, start + size).clear();
    }

    /**
     * swap_pager_copy: moves the swap of {@code src} into {@code dst} shifted down by {@code offset}
     * pages; a block whose page {@code dst} already has (resident or in swap) is freed instead.
     * Both objects locked.
     */
    public static void swap_pager_copy(VmObject src, VmObject dst, long offset, boolean destroysource) {
        for (Map.Entry<Long, SwBlk> e : new ArrayList<>(src.swblks.entrySet())) {
            long pindex = e.getKey() - offset;
            src.swblks.remove(e.getKey());
            if (pindex < 0 || pindex >= dst.size) {
                continue;
            }
            if (!dst.swblks.containsKey(pindex)) {
                dst.swblks.put(pindex, e.getValue());
            }
        }
        if (destroysource) {
            src.swblks.clear();
        }
        dst.type = VmObject.OBJT_SWAP;
    }

    // ------------------------------------------------------------------ swapon

    /** swaponvp: swapon(8) of a regular file: the device's I/O goes through the vnode, which it keeps referenced. */
    public static SwDevt swaponvp(Kernel k, Vnode vp, int nblks) {
        SwapState ss = swap(k);
        SwDevt sp;
        synchronized (ss) {
            sp = new SwDevt(k, vp, ss.nswap, nblks);
            ss.nswap += nblks;
        }
        sp.sw_strategy = SwapPager::swapdev_strategy;
        sp.sw_close = SwapPager::swapdev_close;
        ss.swtailq.add(sp);
        return sp;
    }

    /** swp_pager_getswapspace: a free page-sized block on a device not being closed, or -1. */
    static long swp_pager_getswapspace(Kernel k) {
        for (SwDevt sp : swap(k).swtailq) {
            synchronized (sp) {
                if ((sp.sw_flags & SwDevt.SW_CLOSING) != 0) {
                    continue;
                }
                int i = sp.sw_blist.nextClearBit(0);
                if (i < sp.sw_nblks) {
                    sp.sw_blist.set(i);
                    sp.sw_used++;
                    return sp.sw_first + i;
                }
            }
        }
        return -1;
    }

    static void swp_pager_freeswapspace(Kernel k, long blk) {
        SwDevt sp = swp_pager_find_dev(k, blk);
        synchronized (sp) {
            sp.sw_blist.clear((int) (blk - sp.sw_first));
            sp.sw_used--;
        }
    }

    static SwDevt swp_pager_find_dev(Kernel k, long blk) {
        for (SwDevt sp : swap(k).swtailq) {
            if (sp.swp_pager_isondev(blk)) {
                return sp;
            }
        }
        throw k.panic("Swapdev not found");
    }

    // ------------------------------------------------------------------ swap I/O

    /**
     * swap_pager_putpages of one page, synchronously (VM_PAGER_PUT_SYNC): the page's data goes to
     * a new swap block, which the object's swap metadata records. Object locked, page xbusy.
     */
    public static int swap_pager_putpages(VmObject object, VmPage m) {
        Kernel k = object.kernel();
        if (!swap(k).vm_object_list.contains(object)) {
            swap(k).vm_object_list.add(object);
        }
        long blk = swp_pager_getswapspace(k);
        if (blk < 0) {
            return VmPager.VM_PAGER_FAIL;
        }
        Buf bp = VfsBio.getpbuf(k);
        bp.b_flags |= B_PAGING;
        bp.b_iocmd = Buf.BIO_WRITE;
        bp.b_blkno = blk;
        bp.b_bcount = PAGE_SIZE;
        bp.b_bufsize = PAGE_SIZE;
        bp.b_pages = new VmPage[] {m};
        bp.b_npages = 1;
        bp.b_data = new long[] {m.data};
        bp.b_iodone = SwapPager::swp_pager_async_iodone;
        VM_OBJECT_WUNLOCK(object);
        swp_pager_strategy(bp);
        VM_OBJECT_WLOCK(object);
        SwapPager.swp_pager_meta_build(object, m.pindex, blk, m.data);
        return VmPager.VM_PAGER_OK;
    }

    /**
     * swap_pager_getpages_locked: reads page {@code m} (xbusy, invalid) back from swap. Object
     * locked on entry, unlocked on return; the page is valid unless the read failed.
     */
    public static int swap_pager_getpages_locked(VmObject object, VmPage m) {
        Kernel k = object.kernel();
        SwBlk sb = object.swblks.get(m.pindex);
        k.modelCheck(sb != null, "swap_pager_getpages: no swap blocks");
        m.oflags |= VmPage.VPO_SWAPINPROG;
        VM_OBJECT_WUNLOCK(object);

        Buf bp = VfsBio.getpbuf(k);
        bp.b_flags |= B_PAGING;
        bp.b_iocmd = Buf.BIO_READ;
        bp.b_iodone = SwapPager::swp_pager_async_iodone;
        bp.b_blkno = sb.blk();
        bp.b_bcount = PAGE_SIZE;
        bp.b_bufsize = PAGE_SIZE;
        bp.b_pages = new VmPage[] {m};
        bp.b_npages = 1;
        bp.b_data = new long[1];
        bp.b_caller1 = object;
        swp_pager_strategy(bp);

        VM_OBJECT_WLOCK(object);
        while ((m.oflags & VmPage.VPO_SWAPINPROG) != 0) {
            m.oflags |= VmPage.VPO_SWAPSLEEP;
            if (k.msleep(object, object.lock, false, "swread", 20_000, null) != 0) {
                k.printf("swap_pager: indefinite wait buffer: bufobj: 0, blkno: %d, size: %d", bp.b_blkno,
                        bp.b_bcount);
            }
        }
        VM_OBJECT_WUNLOCK(object);
        return VmPage.vm_page_all_valid(m) ? VmPager.VM_PAGER_OK : VmPager.VM_PAGER_ERROR;
    }

    /** swp_pager_strategy: the I/O goes to the device its block is on. */
    static void swp_pager_strategy(Buf bp) {
        SwDevt sp = swp_pager_find_dev(bp.kernel(), bp.b_blkno);
        sp.sw_strategy.sw_strategy(bp, sp);
    }

    /**
     * swapdev_strategy: swap I/O to a file. The vnode is held and locked (LK_SHARED|LK_RETRY for a
     * read — which locks a doomed vnode too) across bstrategy, which sends the buffer to whatever
     * VOP_STRATEGY the vnode has now.
     */
    static void swapdev_strategy(Buf bp, SwDevt sp) {
        Kernel k = bp.kernel();
        bp.b_blkno = ctodb(bp.b_blkno - sp.sw_first);
        Vnode vp2 = sp.sw_id;
        VfsSubr.vhold(vp2);
        swapdev_strategy_pre_vn_lock(k);
        if (bp.b_iocmd == Buf.BIO_WRITE) {
            VfsSubr.vn_lock(vp2, SleepLock.LK_EXCLUSIVE | SleepLock.LK_RETRY);
        } else {
            VfsSubr.vn_lock(vp2, SleepLock.LK_SHARED | SleepLock.LK_RETRY);
        }
        if (k.patched(FIX_DOOMED_SWAP_VNODE) && Vnode.VN_IS_DOOMED(vp2)) {
            // as swapgeom_strategy does when the provider is gone
            VfsSubr.VOP_UNLOCK(vp2);
            VfsSubr.vdrop(vp2);
            bp.b_error = Errno.ENXIO;
            bp.b_ioflags |= Buf.BIO_ERROR;
            VfsBio.bufdone(bp);
            return;
        }
        bp.b_bufobj = vp2.v_bufobj;
        bp.b_vp = vp2;
        bp.b_flags &= ~B_PAGING;
        bp.b_lock.disown(); // BUF_KERNPROC
        VfsBio.bstrategy(bp);
        VfsSubr.VOP_UNLOCK(vp2);
        VfsSubr.vdrop(vp2);
    }

    /**
     * Failpoint: swapdev_strategy holds the swap vnode (vhold) and is about to lock it
     * (vn_lock LK_RETRY). The window is here: once the vnode is locked, vgone, which needs the
     * lock exclusive, cannot doom it until the I/O is done.
     */
    @FailPoint(value = "swapdev_strategy_pre_vn_lock", panic = KernelPanic.class)
    static void swapdev_strategy_pre_vn_lock(Kernel k) {
        // a point to inject at: it does nothing itself
    }

    /** ctodb: pages to DEV_BSIZE blocks. */
    static long ctodb(long pages) {
        return pages * (PAGE_SIZE / Param.DEV_BSIZE);
    }

    /**
     * swp_pager_async_iodone: reports an I/O error; a read validates its pages (or leaves them
     * invalid on error) and wakes the reader; the buffer forgets the vnode and is freed.
     */
    static void swp_pager_async_iodone(Buf bp) {
        Kernel k = bp.kernel();
        if ((bp.b_ioflags & Buf.BIO_ERROR) != 0 && bp.b_error != Errno.ENOMEM) {
            k.printf("swap_pager: I/O error - %s failed; blkno %d,size %d, error %d",
                    bp.b_iocmd == Buf.BIO_READ ? "pagein" : "pageout", bp.b_blkno, bp.b_bcount, bp.b_error);
        }
        if (bp.b_iocmd == Buf.BIO_READ) {
            VmObject object = (VmObject) bp.b_caller1;
            VM_OBJECT_WLOCK(object);
            for (int i = 0; i < bp.b_npages; i++) {
                VmPage m = bp.b_pages[i];
                if ((bp.b_ioflags & Buf.BIO_ERROR) != 0) {
                    m.valid = 0;
                } else {
                    VmPage.vm_page_valid(m, bp.b_data[i]);
                }
                m.oflags &= ~VmPage.VPO_SWAPINPROG;
                if ((m.oflags & VmPage.VPO_SWAPSLEEP) != 0) {
                    m.oflags &= ~VmPage.VPO_SWAPSLEEP;
                    k.wakeup(object);
                }
            }
            VM_OBJECT_WUNLOCK(object);
        }
        // swapdev_strategy set b_vp and b_bufobj: back to NULL before the pbuf is freed
        bp.b_vp = null;
        bp.b_bufobj = null;
        bp.b_lock.unlock();
    }

    // ------------------------------------------------------------------ swapoff

    /** Failpoint: swapoff_all holds swdev_syscall_lock and is about to walk the swap devices. */
    @FailPoint(value = "swapoff_all_pre", panic = KernelPanic.class)
    static void swapoff_all_pre(Kernel k) {
        // a point to inject at: it does nothing itself
    }

    /**
     * swapoff_all: at shutdown, every swap device is turned off by force; a device that cannot be
     * is reported and skipped.
     */
    public static void swapoff_all(Kernel k) {
        SwapState ss = swap(k);
        ss.swdev_syscall_lock.xlock();
        try {
            swapoff_all_pre(k);
            for (SwDevt sp : ss.swtailq) {
                String devname = "[file]";
                int error = swapoff_one(sp, SWAPOFF_FORCE);
                if (error != 0) {
                    k.printf("Cannot remove swap device %s (error=%d), skipping.", devname, error);
                }
            }
        } finally {
            ss.swdev_syscall_lock.unlock();
        }
    }

    /**
     * swapoff_one: no more allocations on the device (SW_CLOSING), everything on it paged back
     * in, the device closed and removed. With our fix a failed page-in undoes SW_CLOSING and
     * returns the error, so the device stays.
     */
    static int swapoff_one(SwDevt sp, int flags) {
        Kernel k = sp.kernel();
        SwapState ss = swap(k);
        synchronized (sp) {
            sp.sw_flags |= SwDevt.SW_CLOSING;
        }
        int error = swap_pager_swapoff(sp);
        if (error != 0) {
            synchronized (sp) {
                sp.sw_flags &= ~SwDevt.SW_CLOSING;
            }
            return error;
        }
        sp.sw_close.sw_close(sp);
        sp.sw_id = null;
        ss.swtailq.remove(sp);
        return 0;
    }

    /** swap_pager_swapoff: pages in every page of every object that is on the device. */
    static int swap_pager_swapoff(SwDevt sp) {
        for (VmObject object : swap(sp.kernel()).vm_object_list) {
            VM_OBJECT_WLOCK(object);
            int error = 0;
            try {
                if ((object.flags & VmObject.OBJ_DEAD) == 0) {
                    error = swap_pager_swapoff_object(sp, object);
                }
            } finally {
                VM_OBJECT_WUNLOCK(object);
            }
            if (error != 0) {
                return error;
            }
        }
        return 0;
    }

    /**
     * swap_pager_swapoff_object: each page of the object on the device is paged in (if not
     * resident and valid already), dirtied, and its swap block freed. Object locked. A failed
     * read panics ("read from swap failed") — or, with our fix, is returned as ENXIO.
     */
    static int swap_pager_swapoff_object(SwDevt sp, VmObject object) {
        Kernel k = object.kernel();
        while (true) {
            Map.Entry<Long, SwBlk> e = object.swblks.entrySet().stream()
                    .filter(en -> sp.swp_pager_isondev(en.getValue().blk())).findFirst().orElse(null);
            if (e == null) {
                return 0;
            }
            long pindex = e.getKey();
            VmPage m = VmPage.vm_page_lookup(object, pindex);
            if (m != null && VmPage.vm_page_all_valid(m)) {
                swp_pager_force_dirty(object, m, e.getValue());
                continue;
            }
            if (m == null) {
                m = VmPage.vm_page_alloc(object, pindex, VmPage.VM_ALLOC_NORMAL);
                if (m == null) {
                    VM_OBJECT_WUNLOCK(object);
                    VmPageout.vm_wait(k);
                    VM_OBJECT_WLOCK(object);
                    continue;
                }
            } else if (!VmPage.vm_page_tryxbusy(m)) {
                VmPage.vm_page_busy_sleep(m, "swpoff", false);
                VM_OBJECT_WLOCK(object);
                continue;
            }
            VmObject.vm_object_pip_add(object, 1);
            int rv = swap_pager_getpages_locked(object, m);
            VM_OBJECT_WLOCK(object);
            VmObject.vm_object_pip_wakeupn(object, 1);
            if (rv != VmPager.VM_PAGER_OK) {
                VmPage.vm_page_free(m);
                if (k.patched(FIX_DOOMED_SWAP_VNODE)) {
                    return Errno.ENXIO;
                }
                throw k.panic("%s: read from swap failed: %d", "swap_pager_swapoff_object", rv);
            }
            VmPage.vm_page_xunbusy(m);
        }
    }

    /** swp_pager_force_dirty: the page is dirty (its only copy now) and its swap block is freed. */
    static void swp_pager_force_dirty(VmObject object, VmPage m, SwBlk sb) {
        VmPage.vm_page_dirty(m);
        object.swblks.remove(m.pindex);
        swp_pager_freeswapspace(object.kernel(), sb.blk());
    }

    /** swapdev_close: VOP_CLOSE and the device's reference to the vnode dropped. */
    static void swapdev_close(SwDevt sp) {
        VfsSubr.vrele(sp.sw_vp);
    }
}
