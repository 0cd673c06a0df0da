package dev.jfail.kernel.vm;

import dev.jfail.kernel.kern.Kernel;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A process's physical map (amd64/pmap.c, as far as the races need it): page table entries by
 * virtual address, and each page's pv list of the mappings of it, so that
 * {@link #pmap_page_is_mapped} can tell a mapped page from a free one.
 */
public final class Pmap {

    /** A pv entry: {@code pmap} maps the page at {@code va}. */
    record Pv(Pmap pmap, long va) {
    }

    private final Kernel kernel;
    private final String name;
    private final Map<Long, VmPage> ptes = new HashMap<>();

    public Pmap(Kernel kernel, String name) {
        this.kernel = kernel;
        this.name = name;
    }

    public Kernel kernel() {
        return kernel;
    }

    /** pmap_enter: maps {@code m} at {@code va}, replacing what was mapped there. */
    public static void pmap_enter(Pmap pmap, long va, VmPage m) {
        VmPage old;
        synchronized (pmap) {
            old = pmap.ptes.put(va, m);
        }
        if (old != null && old != m) {
            synchronized (old) {
                old.pvList.remove(new Pv(pmap, va));
            }
        }
        if (old != m) {
            synchronized (m) {
                m.pvList.add(new Pv(pmap, va));
            }
        }
    }

    /** pmap_remove of one page: unmaps {@code va}. */
    public static void pmap_remove(Pmap pmap, long va) {
        VmPage old;
        synchronized (pmap) {
            old = pmap.ptes.remove(va);
        }
        if (old != null) {
            synchronized (old) {
                old.pvList.remove(new Pv(pmap, va));
            }
        }
    }

    /** pmap_remove_all: unmaps {@code m} from every pmap. */
    public static void pmap_remove_all(VmPage m) {
        List<Pv> pvs;
        synchronized (m) {
            pvs = List.copyOf(m.pvList);
            m.pvList.clear();
        }
        for (Pv pv : pvs) {
            synchronized (pv.pmap()) {
                pv.pmap().ptes.remove(pv.va(), m);
            }
        }
    }

    public static boolean pmap_page_is_mapped(VmPage m) {
        synchronized (m) {
            return !m.pvList.isEmpty();
        }
    }

    /** pmap_extract: the page mapped at {@code va}, or null. */
    public static VmPage pmap_extract(Pmap pmap, long va) {
        synchronized (pmap) {
            return pmap.ptes.get(va);
        }
    }

    @Override
    public String toString() {
        return "pmap of " + name;
    }
}
