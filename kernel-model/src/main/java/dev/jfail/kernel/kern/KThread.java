package dev.jfail.kernel.kern;

import java.util.ArrayList;
import java.util.List;

/**
 * A thread of the model: FreeBSD's {@code struct thread} (td_name, td_tid, td_wmesg, td_wchan)
 * with its process ({@code p_pid}, {@code p_comm}), run by a Java thread of the same name.
 * Kernel threads ({@code pagedaemon}, {@code g_up}) belong to pid 0; user threads to their process.
 * A test thread that calls into the model is adopted as a thread of the kernel it calls.
 *
 * <p>The sleep fields are guarded by the kernel's sched_lock.
 */
public final class KThread {
    final Kernel kernel;
    private final String tdName;
    private final int tid;
    private final int pid;
    private final String comm;
    private final boolean adopted;
    /** An interrupt thread in the middle of a completion (guarded by the kernel's sched lock). */
    boolean intrRunning;
    volatile Thread thread;
    private volatile boolean exited;

    // guarded by sched_lock
    Waitable blockedOn;
    String wmesg;
    Object wchan;
    boolean woken;
    final List<Object> locksHeld = new ArrayList<>();

    KThread(Kernel kernel, String tdName, int tid, int pid, String comm, boolean adopted) {
        this.kernel = kernel;
        this.tdName = tdName;
        this.tid = tid;
        this.pid = pid;
        this.comm = comm;
        this.adopted = adopted;
    }

    public Kernel kernel() {
        return kernel;
    }

    /** td_name: the thread's name, also the Java thread's name. */
    public String td_name() {
        return tdName;
    }

    public int td_tid() {
        return tid;
    }

    public int p_pid() {
        return pid;
    }

    public String p_comm() {
        return comm;
    }

    /** Whether this is a test (or other outside) thread that called into the model. */
    public boolean adopted() {
        return adopted;
    }

    public Thread javaThread() {
        return thread;
    }

    /** Whether the thread's body has returned (or unwound). */
    public boolean exited() {
        return exited;
    }

    void markExited() {
        exited = true;
    }

    /** What it sleeps on now ("vmocol", "grbmaw"), or null when it is not sleeping. */
    public String wmesg() {
        kernel.sched_lock();
        try {
            return wmesg;
        } finally {
            kernel.sched_unlock();
        }
    }

    /** How the kernel names it in reports: {@code 100131 (nginx)}. */
    public String label() {
        return tid + " (" + tdName + ")";
    }

    /**
     * The thread's entry frame, named as FreeBSD's for a new thread: runs the body and turns how
     * it ended into the kernel's reaction (a panic is recorded, a null dereference is an oops,
     * a stopped kernel is a quiet exit).
     */
    void fork_exit(Runnable body) {
        try {
            body.run();
        } catch (KernelStopped stopped) {
            // the kernel stopped: exit quietly
        } catch (KernelPanic panic) {
            kernel.shutdown.panicThrown(this, panic);
        } catch (NullPointerException npe) {
            kernel.shutdown.nullDereference(this, npe);
        } catch (Throwable t) {
            kernel.shutdown.unexpected(this, t);
        } finally {
            kernel.kthreads.threadExited(this);
        }
    }

    @Override
    public String toString() {
        return "thread " + label();
    }
}
