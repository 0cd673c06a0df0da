package dev.jfail.control;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGURG, the CLI's knock: it tells an agent that was loaded at start to open its control socket
 * now, so a JVM that nobody controls never opens one, and one that the CLI controls needs no agent
 * load. SIGURG is safe to send to any process: its default action is to do nothing, and the JVM
 * itself does not use it. Kept apart so that a JVM without {@code jdk.unsupported} (or a platform
 * without the signal) fails here only.
 */
final class WakeSignal {

    /** The signal's name, as {@code kill -URG} and {@link Signal} spell it. */
    static final String NAME = "URG";

    private WakeSignal() {
    }

    /**
     * Runs {@code action} on every SIGURG from now on; false when the signal cannot be handled here,
     * or when the application handles it already (its handler is left in place). Called again after
     * {@link #ignore()}, it handles the signal again.
     */
    static boolean onSignal(Runnable action) {
        try {
            Signal signal = new Signal(NAME);
            SignalHandler previous = Signal.handle(signal, new SignalHandler() { // no lambda: linking the first one slows start-up
                @Override
                public void handle(Signal received) {
                    action.run();
                }
            });
            if (previous != SignalHandler.SIG_DFL && previous != SignalHandler.SIG_IGN) {
                Signal.handle(signal, previous);
                return false;
            }
            return true;
        } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
            // no SIGURG here (Windows, or sun.misc.Signal unavailable): the caller falls back to
            // opening the socket a second after start, so nothing is lost by saying no
            return false;
        }
    }

    /**
     * Gives SIGURG back its default action (nothing) while the channel is open: the JVM starts a
     * thread for every signal it handles, so knocks on an open channel would each cost one.
     */
    static void ignore() {
        try {
            Signal.handle(new Signal(NAME), SignalHandler.SIG_DFL);
        } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
            // handled before, so this does not happen; the knocks would only cost a thread each
        }
    }
}
