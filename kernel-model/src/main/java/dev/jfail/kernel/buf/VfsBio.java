package dev.jfail.kernel.buf;

import dev.jfail.kernel.kern.Errno;
import dev.jfail.kernel.kern.Kernel;
import dev.jfail.kernel.vfs.Vnode;
import dev.jfail.kernel.vfs.Vop;
import dev.jfail.kernel.vm.VmObject;
import dev.jfail.kernel.vm.VmPage;

import java.util.Arrays;

import static dev.jfail.kernel.vm.VmObject.VM_OBJECT_WLOCK;
import static dev.jfail.kernel.vm.VmObject.VM_OBJECT_WUNLOCK;
import static dev.jfail.kernel.vm.VmPage.PAGE_SHIFT;
import static dev.jfail.kernel.vm.VmPage.PAGE_SIZE;

/**
 * kern/vfs_bio.c: getblk/getblkx, allocbuf with vfs_vmio_extend, bread/breadn_flags,
 * vfs_busy_pages, bstrategy/bufstrategy, bufdone with vfs_vmio_iodone, bufwait, brelse/bqrelse,
 * getpbuf. (vfs_bio_getpages is in {@link VfsBioGetpages}.)
 */
public final class VfsBio {

    private VfsBio() {
    }

    /** getpbuf: a buffer from the physical-buffer pool, belonging to no vnode (swap, clustering). */
    public static Buf getpbuf(Kernel kernel) {
        Buf bp = new Buf(kernel);
        bp.b_lock.xlock();
        return bp;
    }

    /**
     * getblkx: finds the buffer in the vnode's bufobj and locks it (sleeping "bufwait"), or makes a
     * new one and sizes it with allocbuf. B_CACHE tells whether all its pages are valid.
     */
    public static Buf getblkx(Vnode vp, long blkno, int size) {
        BufObj bo = vp.v_bufobj;
        while (true) {
            Buf bp = bo.gbincore(blkno);
            if (bp != null) {
                bp.b_lock.xlock();
                if (bo.gbincore(blkno) != bp) {
                    bp.b_lock.unlock();
                    continue;
                }
                if (bp.b_bcount != size) {
                    allocbuf(bp, size);
                }
                return bp;
            }
            bp = new Buf(vp.kernel());
            bp.b_lock.xlock();
            synchronized (bo) {
                if (bo.bufs.putIfAbsent(blkno, bp) != null) {
                    bp.b_lock.unlock();
                    continue;
                }
            }
            bp.b_vp = vp;
            bp.b_bufobj = bo;
            bp.b_lblkno = blkno;
            bp.b_blkno = blkno;
            bp.b_offset = blkno * (long) size;
            bp.b_flags = Buf.B_CACHE;
            if (bo.bo_object != null) {
                bp.b_flags |= Buf.B_VMIO;
            }
            allocbuf(bp, size);
            return bp;
        }
    }

    /** allocbuf: sizes the buffer; a VMIO buffer gets the pages that back it (vfs_vmio_extend). */
    public static void allocbuf(Buf bp, int size) {
        if ((bp.b_flags & Buf.B_VMIO) != 0) {
            int desiredpages = (int) (((bp.b_offset & (PAGE_SIZE - 1)) + size + PAGE_SIZE - 1) >>> PAGE_SHIFT);
            vfs_vmio_extend(bp, desiredpages, size);
        }
        bp.b_bcount = size;
        bp.b_bufsize = size;
        if (bp.b_data.length < bp.b_npages) {
            bp.b_data = Arrays.copyOf(bp.b_data, bp.b_npages);
        }
    }

    /**
     * vfs_vmio_extend: grabs the buffer's pages, wired, not busied, ignoring shared busy
     * (VM_ALLOC_IGN_SBUSY | VM_ALLOC_NOBUSY | VM_ALLOC_WIRED): it sleeps on any page that is
     * exclusive-busy. Then B_CACHE stays only if every page is valid.
     */
    static void vfs_vmio_extend(Buf bp, int desiredpages, int size) {
        VmObject obj = bp.b_bufobj.bo_object;
        if (bp.b_npages < desiredpages) {
            VmPage[] pages = Arrays.copyOf(bp.b_pages, desiredpages);
            VmPage[] grabbed = new VmPage[desiredpages - bp.b_npages];
            VM_OBJECT_WLOCK(obj);
            VmPage.vm_page_grab_pages(obj, VmObject.OFF_TO_IDX(bp.b_offset) + bp.b_npages,
                    VmPage.VM_ALLOC_SYSTEM | VmPage.VM_ALLOC_IGN_SBUSY | VmPage.VM_ALLOC_NOBUSY
                            | VmPage.VM_ALLOC_WIRED,
                    grabbed, grabbed.length);
            System.arraycopy(grabbed, 0, pages, bp.b_npages, grabbed.length);
            bp.b_pages = pages;
            bp.b_npages = desiredpages;
            for (int i = 0; i < bp.b_npages; i++) {
                if (!VmPage.vm_page_all_valid(bp.b_pages[i])) {
                    bp.b_flags &= ~Buf.B_CACHE;
                }
            }
            VM_OBJECT_WUNLOCK(obj);
        }
    }

    /** bread: the buffer of block {@code blkno}, read in if not cached; bpp[0] gets it. An errno. */
    public static int bread(Vnode vp, long blkno, int size, Buf[] bpp) {
        return breadn_flags(vp, blkno, size, 0, bpp);
    }

    /**
     * breadn_flags: getblkx (directly, as in the sendfile report's trace), and if not B_CACHE:
     * vfs_busy_pages, bstrategy, bufwait.
     */
    public static int breadn_flags(Vnode vp, long blkno, int size, int flags, Buf[] bpp) {
        Buf bp = getblkx(vp, blkno, size);
        bpp[0] = bp;
        if ((bp.b_flags & Buf.B_CACHE) != 0) {
            return 0;
        }
        bp.b_iocmd = Buf.BIO_READ;
        bp.b_flags &= ~(Buf.B_INVAL | Buf.B_DONE);
        bp.b_ioflags &= ~Buf.BIO_ERROR;
        bp.b_error = 0;
        if ((bp.b_flags & Buf.B_VMIO) != 0) {
            vfs_busy_pages(bp, false);
        }
        bstrategy(bp);
        return bufwait(bp);
    }

    /**
     * vfs_busy_pages: before I/O, each page of the buffer is shared-busied (after waiting out an
     * exclusive busy, "vbpage") and the object's paging_in_progress counts the I/O.
     */
    public static void vfs_busy_pages(Buf bp, boolean clearModify) {
        VmObject obj = bp.b_bufobj.bo_object;
        VM_OBJECT_WLOCK(obj);
        VmObject.vm_object_pip_add(obj, bp.b_npages);
        for (int i = 0; i < bp.b_npages; i++) {
            VmPage m = bp.b_pages[i];
            while (!VmPage.vm_page_trysbusy(m)) {
                VmPage.vm_page_busy_sleep(m, "vbpage", true);
                VM_OBJECT_WLOCK(obj);
            }
        }
        VM_OBJECT_WUNLOCK(obj);
    }

    /** bstrategy: BO_STRATEGY on the buffer's bufobj. */
    public static void bstrategy(Buf bp) {
        BufObj.BO_STRATEGY(bp.b_bufobj, bp);
    }

    /**
     * bufstrategy: VOP_STRATEGY of the bufobj's vnode, which must not fail: {@code KASSERT(i == 0,
     * ("VOP_STRATEGY failed bp=%p vp=%p", ...))}. The swapoff report's trace shows it reaching
     * {@code panic()} straight from bufstrategy, with no kassert_panic frame; so does the model.
     */
    public static void bufstrategy(BufObj bo, Buf bp) {
        Vnode vp = bo.bo_private;
        int i = Vop.VOP_STRATEGY(vp, bp);
        if (i != 0 && bp.kernel().invariants()) {
            bp.kernel().panic("VOP_STRATEGY failed bp=%s vp=%s", bp, bp.b_vp == null ? "0" : bp.b_vp);
        }
    }

    /**
     * bufdone: the I/O is over. A buffer with its own completion (b_iodone) gets it; otherwise the
     * pages take the data read (vfs_vmio_iodone), B_DONE is set, waiters wake, an async buffer is
     * released.
     */
    public static void bufdone(Buf bp) {
        if (bp.b_iodone != null) {
            var biodone = bp.b_iodone;
            bp.b_iodone = null;
            biodone.accept(bp);
            return;
        }
        if ((bp.b_flags & Buf.B_VMIO) != 0 && bp.b_bufobj != null && bp.b_bufobj.bo_object != null) {
            vfs_vmio_iodone(bp);
        }
        if (bp.b_iocmd == Buf.BIO_READ && (bp.b_flags & (Buf.B_INVAL | Buf.B_NOCACHE)) == 0
                && (bp.b_ioflags & Buf.BIO_ERROR) == 0) {
            bp.b_flags |= Buf.B_CACHE;
        }
        Kernel k = bp.kernel();
        k.sched_lock();
        try {
            bp.b_flags |= Buf.B_DONE;
            k.sleepq_broadcast();
        } finally {
            k.sched_unlock();
        }
        if ((bp.b_flags & Buf.B_ASYNC) != 0) {
            brelse(bp);
        }
    }

    /** vfs_vmio_iodone: a read fills the pages that are not valid yet; every page is shared-unbusied. */
    static void vfs_vmio_iodone(Buf bp) {
        VmObject obj = bp.b_bufobj.bo_object;
        boolean ok = (bp.b_ioflags & Buf.BIO_ERROR) == 0;
        VM_OBJECT_WLOCK(obj);
        for (int i = 0; i < bp.b_npages; i++) {
            VmPage m = bp.b_pages[i];
            if (ok && bp.b_iocmd == Buf.BIO_READ && !VmPage.vm_page_all_valid(m)) {
                VmPage.vm_page_valid(m, bp.b_data[i]);
            }
            VmPage.vm_page_sunbusy(m);
        }
        VmObject.vm_object_pip_wakeupn(obj, bp.b_npages);
        VM_OBJECT_WUNLOCK(obj);
    }

    /** bufwait: sleeps "biord" until the I/O is done; its errno. */
    public static int bufwait(Buf bp) {
        Kernel k = bp.kernel();
        k.sched_lock();
        try {
            k.sleepq_wait(null, bp.b_iocmd == Buf.BIO_READ ? "biord" : "biowr",
                    () -> (bp.b_flags & Buf.B_DONE) != 0, 0);
        } finally {
            k.sched_unlock();
        }
        if ((bp.b_ioflags & Buf.BIO_ERROR) != 0) {
            return bp.b_error != 0 ? bp.b_error : Errno.EIO;
        }
        return 0;
    }

    /** brelse: releases the buffer and its pages (unwired) from the cache, and unlocks it. */
    public static void brelse(Buf bp) {
        if (bp.b_bufobj != null) {
            synchronized (bp.b_bufobj) {
                bp.b_bufobj.bufs.remove(bp.b_lblkno, bp);
            }
            VmObject obj = bp.b_bufobj.bo_object;
            if ((bp.b_flags & Buf.B_VMIO) != 0 && obj != null) {
                VM_OBJECT_WLOCK(obj);
                for (int i = 0; i < bp.b_npages; i++) {
                    VmPage.vm_page_unwire(bp.b_pages[i]);
                }
                VM_OBJECT_WUNLOCK(obj);
            }
        }
        bp.b_npages = 0;
        bp.b_pages = new VmPage[0];
        bp.b_flags |= Buf.B_INVAL;
        bp.b_lock.unlock();
    }

    /** bqrelse: unlocks the buffer and keeps it cached. */
    public static void bqrelse(Buf bp) {
        bp.b_lock.unlock();
    }
}
