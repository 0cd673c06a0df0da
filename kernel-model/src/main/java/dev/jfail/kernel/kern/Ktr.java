package dev.jfail.kernel.kern;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The kernel's trace buffer: FreeBSD's KTR ({@code ktr(4)}, kern/kern_ktr.c). {@code CTR} macros
 * append an entry (time, thread, class, what, on what) to one circular buffer when the entry's
 * class is in {@code debug.ktr.mask}; {@code ktrdump(8)} reads it. The mask is 0 unless a tool sets
 * it, so a kernel nobody traces pays one volatile read per trace point.
 *
 * <p>Classes: {@link #KTR_LOCK} (locks taken and released), {@link #KTR_PROC} (sleeps on wait
 * channels and wakeups), {@link #KTR_WITNESS} (WITNESS's reports), {@link #KTR_GEN} (boot, panic).
 */
public final class Ktr {

    public static final int KTR_GEN = 0x1;
    public static final int KTR_PROC = 0x1000;
    public static final int KTR_LOCK = 0x8;
    public static final int KTR_WITNESS = 0x10000;
    public static final int KTR_ALL = KTR_GEN | KTR_PROC | KTR_LOCK | KTR_WITNESS;

    /** debug.ktr.entries: the buffer's size. */
    public static final int KTR_ENTRIES = 1 << 16;

    /**
     * One entry: {@code ktr_timestamp} (System.nanoTime), the thread ({@code td_name}), the class,
     * what happened ({@code lock}, {@code unlock}, {@code sleep}, {@code wakeup}, {@code witness},
     * {@code boot}, {@code panic}, ...), on what (a lock's name, a wait channel's wmesg), and details.
     */
    public record Entry(long nanos, String thread, int ktrClass, String what, String subject, String detail) {
    }

    private static volatile int ktr_mask;
    private static final Entry[] ktr_buf = new Entry[KTR_ENTRIES];
    private static final AtomicLong ktr_idx = new AtomicLong();

    private Ktr() {
    }

    /** sysctl debug.ktr.mask. */
    public static void setMask(int mask) {
        ktr_mask = mask;
    }

    public static int mask() {
        return ktr_mask;
    }

    /** Whether entries of {@code ktrClass} are traced. */
    public static boolean enabled(int ktrClass) {
        return (ktr_mask & ktrClass) != 0;
    }

    /** CTR(9): appends an entry when its class is traced. */
    public static void CTR(int ktrClass, String what, String subject, String detail) {
        if ((ktr_mask & ktrClass) == 0) {
            return;
        }
        Thread t = Thread.currentThread();
        long i = ktr_idx.getAndIncrement();
        ktr_buf[(int) (i % KTR_ENTRIES)] = new Entry(System.nanoTime(), t.getName(), ktrClass, what, subject, detail);
    }

    /** Empties the buffer (ktrdump -c). */
    public static void clear() {
        synchronized (ktr_buf) {
            java.util.Arrays.fill(ktr_buf, null);
            ktr_idx.set(0);
        }
    }

    /** ktrdump(8): the entries kept, oldest first. */
    public static List<Entry> dump() {
        long n = ktr_idx.get();
        List<Entry> out = new ArrayList<>();
        for (long i = Math.max(0, n - KTR_ENTRIES); i < n; i++) {
            Entry e = ktr_buf[(int) (i % KTR_ENTRIES)];
            if (e != null) {
                out.add(e);
            }
        }
        out.sort(java.util.Comparator.comparingLong(Entry::nanos));
        return out;
    }
}
