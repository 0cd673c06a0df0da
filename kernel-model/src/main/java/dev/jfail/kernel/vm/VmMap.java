package dev.jfail.kernel.vm;

/**
 * A process's address space reduced to what the fault path needs (vm/vm_map.c): one map entry
 * [start, end) backed by {@code object} from byte {@code offset}, and the process's pmap.
 */
public final class VmMap {
    public final Pmap pmap;
    public final long start;
    public final long end;
    public final VmObject object;
    public final long offset;

    public VmMap(Pmap pmap, long start, long end, VmObject object, long offset) {
        this.pmap = pmap;
        this.start = start;
        this.end = end;
        this.object = object;
        this.offset = offset;
    }

    /** The page index in the entry's object of virtual address {@code va}. */
    public long pindex(long va) {
        return VmObject.OFF_TO_IDX(offset + (va - start));
    }
}
