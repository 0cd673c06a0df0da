package dev.jfail.kernel.md;

import dev.jfail.kernel.kern.KThread;
import dev.jfail.kernel.kern.Kernel;

import java.util.function.Consumer;

/**
 * struct md_thread and its life (drivers/md/md.c: md_register_thread, md_thread,
 * md_wakeup_thread, md_unregister_thread): a kernel thread named {@code md0_raid1} that runs the
 * personality's daemon ({@code raid1d}) each time it is woken, until kthread_stop.
 */
public final class MdThread {
    private static final int THREAD_WAKEUP = 1;

    private final Kernel kernel;
    private final Consumer<MdThread> run;
    public final Mddev mddev;
    public final WaitQueueHead wqueue;
    // guarded by the kernel's sched lock
    private int flags;
    private boolean should_stop;
    KThread tsk;

    private MdThread(Kernel kernel, Consumer<MdThread> run, Mddev mddev, String name) {
        this.kernel = kernel;
        this.run = run;
        this.mddev = mddev;
        this.wqueue = new WaitQueueHead(kernel, name);
    }

    /** md_register_thread: starts {@code <mdname>_<name>} running {@code run} on each wake-up. */
    public static MdThread md_register_thread(Consumer<MdThread> run, Mddev mddev, String name) {
        String comm = Mddev.mdname(mddev) + "_" + name;
        MdThread thread = new MdThread(mddev.kernel(), run, mddev, comm);
        thread.tsk = mddev.kernel().kthread_add(comm, thread::md_thread);
        return thread;
    }

    /** md_thread: sleep until woken or stopped; run the daemon. */
    private void md_thread() {
        while (true) {
            kernel.sched_lock();
            try {
                kernel.sleepq_wait(null, wqueue.toString(), () -> (flags & THREAD_WAKEUP) != 0 || should_stop, 0);
                if (should_stop) {
                    return;
                }
                flags &= ~THREAD_WAKEUP;
            } finally {
                kernel.sched_unlock();
            }
            run.accept(this);
        }
    }

    /** md_wakeup_thread. */
    public static void md_wakeup_thread(MdThread thread) {
        if (thread == null) {
            return;
        }
        thread.kernel.sched_lock();
        try {
            thread.flags |= THREAD_WAKEUP;
            thread.kernel.sleepq_broadcast();
        } finally {
            thread.kernel.sched_unlock();
        }
    }

    /** md_unregister_thread: clears the pointer and stops the thread (kthread_stop waits for it to exit). */
    public static void md_unregister_thread(Mddev mddev) {
        MdThread thread = mddev.thread;
        if (thread == null) {
            return;
        }
        mddev.thread = null;
        kthread_stop(thread);
    }

    private static void kthread_stop(MdThread thread) {
        Kernel k = thread.kernel;
        k.sched_lock();
        try {
            thread.should_stop = true;
            k.sleepq_broadcast();
            k.sleepq_wait(null, "kthread_stop", thread.tsk::exited, 0);
        } finally {
            k.sched_unlock();
        }
    }
}
