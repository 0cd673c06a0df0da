package dev.jfail.kernel.kern;

import java.util.List;

/**
 * Something a thread can sleep waiting for whose holders are known: a page's busy state, a lock.
 * WITNESS follows the edges waiter -> holders to find a thread waiting for itself or a cycle.
 */
public interface Waitable {

    /** The threads holding it now, each as often as it holds it. Called with sched_lock held. */
    List<KThread> holders();

    /** What it is, as the kernel would print it: {@code page 0xfffff8007e1a2480}. */
    String describe();

    /** How it is held now: {@code exclusive-busy}, {@code locked shared (2)}. Called with sched_lock held. */
    String holdState();
}
