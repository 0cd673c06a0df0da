package dev.jfail.kernel.buf;

import dev.jfail.FailPoint;
import dev.jfail.kernel.kern.Kernel;
import dev.jfail.kernel.kern.KernelPanic;
import dev.jfail.kernel.vfs.Vnode;
import dev.jfail.kernel.vm.VmObject;
import dev.jfail.kernel.vm.VmPage;
import dev.jfail.kernel.vm.VmPager;

import static dev.jfail.kernel.vm.VmObject.VM_OBJECT_WLOCK;
import static dev.jfail.kernel.vm.VmObject.VM_OBJECT_WUNLOCK;

/**
 * vfs_bio_getpages (kern/vfs_bio.c): pages a run of a file in through the buffer cache. The run's
 * pages, exclusive-busy from the caller, are downgraded to shared busy; each invalid page's
 * filesystem block is read with bread, whose buffer takes ALL the pages of the block
 * (vfs_vmio_extend); then the run is upgraded back to exclusive busy. {@code ma[i] == null} is
 * the bogus_page (a valid page the caller left out of the run).
 */
public final class VfsBioGetpages {

    /** vbg_get_lblkno_t. */
    public interface GetLblkno {
        long get_lblkno(Vnode vp, long off);
    }

    /** vbg_get_blksize_t. */
    public interface GetBlksize {
        int get_blksize(Vnode vp, long lbn);
    }

    private VfsBioGetpages() {
    }

    public static int vfs_bio_getpages(Vnode vp, VmPage[] ma, int count, int[] rbehind, int[] rahead,
                                       GetLblkno get_lblkno, GetBlksize get_blksize) {
        Kernel k = vp.kernel();
        VmObject object = vp.v_object;
        if (rbehind != null) {
            rbehind[0] = 0;
        }
        if (rahead != null) {
            rahead[0] = 0;
        }
        for (int i = 0; i < count; i++) {
            if (ma[i] != null) {
                VmPage.vm_page_busy_downgrade(ma[i]);
            }
        }
        int error = 0;
        long lbnp = -1;
        pages:
        for (int i = 0; i < count; i++) {
            VmPage m = ma[i];
            if (m == null || VmPage.vm_page_all_valid(m)) {
                continue;
            }
            long poff = VmObject.IDX_TO_OFF(m.pindex);
            long poffe = Math.min(poff + VmPage.PAGE_SIZE, object.vnp_size);
            int bsize;
            for (; poff < poffe; poff += bsize) {
                long lbn = get_lblkno.get_lblkno(vp, poff);
                bsize = get_blksize.get_blksize(vp, lbn);
                if (lbn == lbnp || bsize <= 0) {
                    continue pages;
                }
                lbnp = lbn;
                vfs_bio_getpages_pre_bread(k);
                Buf[] bpp = new Buf[1];
                error = VfsBio.bread(vp, lbn, bsize, bpp);
                if (error != 0) {
                    VfsBio.brelse(bpp[0]);
                    break pages;
                }
                bpp[0].b_flags |= Buf.B_RELBUF;
                VfsBio.brelse(bpp[0]);
            }
        }
        // the run back to exclusive busy; a page someone else shares is grabbed afresh
        VM_OBJECT_WLOCK(object);
        for (int i = 0; i < count; i++) {
            if (ma[i] == null) {
                continue;
            }
            if (!VmPage.vm_page_busy_tryupgrade(ma[i])) {
                VmPage.vm_page_sunbusy(ma[i]);
                ma[i] = VmPage.vm_page_grab(object, ma[i].pindex, VmPage.VM_ALLOC_NORMAL);
            }
            if (error == 0 && !VmPage.vm_page_all_valid(ma[i])) {
                error = dev.jfail.kernel.kern.Errno.EIO;
            }
        }
        VM_OBJECT_WUNLOCK(object);
        return error != 0 ? VmPager.VM_PAGER_ERROR : VmPager.VM_PAGER_OK;
    }

    /** Failpoint: vfs_bio_getpages is about to bread the block of an invalid page of the run. */
    @FailPoint(value = "vfs_bio_getpages_pre_bread", panic = KernelPanic.class)
    static void vfs_bio_getpages_pre_bread(Kernel k) {
        // a point to inject at: it does nothing itself
    }
}
