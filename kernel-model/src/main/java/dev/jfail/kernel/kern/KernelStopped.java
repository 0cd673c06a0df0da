package dev.jfail.kernel.kern;

/**
 * Unwinds a thread whose kernel has stopped (after a panic, an oops, a deadlock or the time limit):
 * every sleep of a stopped kernel ends with this, so every kernel thread exits.
 */
public final class KernelStopped extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public KernelStopped(String why) {
        super(why, null, false, false);
    }
}
