package dev.jfail.kernel.kern;

/**
 * Unwinds a thread out of the model after a panic (kern_shutdown.c: panic/vpanic). Thrown by
 * {@link Kernel#panic}, by a failing {@link Kernel#KASSERT}, and by a failpoint set to {@code panic}
 * when the failpoint names this class: {@code @FailPoint(value = "...", panic = KernelPanic.class)}.
 * A panic thrown by a failpoint is recorded by the thread's entry frame, like any other.
 */
public class KernelPanic extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Set once the kernel has recorded this panic, so it is reported once. */
    transient boolean recorded;

    public KernelPanic(String message) {
        super(message);
    }
}
