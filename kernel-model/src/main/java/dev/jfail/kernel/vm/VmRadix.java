package dev.jfail.kernel.vm;

import dev.jfail.kernel.kern.Kernel;

/**
 * vm/vm_radix.c, as far as the races care: inserting a page into an object's radix tree takes a
 * node from the "RADIX NODE" UMA zone with M_NOWAIT, which fails under memory pressure. The model
 * fails it at the rate of the tunable {@code vm.radix_node_nowait_fail_ppm} (per million; default
 * 0, never): that is how vm_page_rename fails in the wild (cem's report in D4103).
 */
public final class VmRadix {
    private final long failPpm;

    private VmRadix(Kernel kernel) {
        this.failPpm = kernel.tunable("vm.radix_node_nowait_fail_ppm", 0);
    }

    /** Whether the node allocation for an insert fails this time. */
    static boolean vm_radix_insert_fails(Kernel kernel) {
        long ppm = kernel.subsystem(VmRadix.class, VmRadix::new).failPpm;
        return ppm > 0 && kernel.random(1_000_000) < ppm;
    }
}
