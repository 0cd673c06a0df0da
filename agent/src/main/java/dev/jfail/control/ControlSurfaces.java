package dev.jfail.control;

import dev.jfail.core.FailPointRegistry;
import dev.jfail.core.Messages;
import dev.jfail.core.Report;
import dev.jfail.jmx.FailPointsControl;

import java.io.IOException;

/**
 * How the agent makes itself controllable from outside the JVM: the {@code dev.jfail:type=FailPoints}
 * MBean (for jconsole and VisualVM) and the owner-only control channel (for the CLI). Neither opens a
 * network port.
 *
 * <p>At JVM start a daemon thread only makes the channel ready to open: the CLI, finding the agent
 * but no socket, sends SIGURG ({@link WakeSignal}) and the socket is opened then. Where that signal
 * cannot be handled, that thread opens it a second after start, with the MBean: a JVM that lives
 * less than a second never pays for either, and a longer one pays off its main thread.
 * {@code -Djfail.jmx=false} skips the MBean, {@code -Djfail.control=false} the channel. When the CLI
 * loads the agent it asks for both at once, whatever those properties say.
 */
public final class ControlSurfaces {

    /** Set in the JVM to the control socket's path once it serves: how the CLI finds it through attach. */
    public static final String SOCKET_PROPERTY = "jfail.control.socket";
    /** Set in the JVM to why the control channel could not start (the socket's property, once set, outranks it). */
    public static final String ERROR_PROPERTY = "jfail.control.error";
    /** Set in the JVM to the signal that opens the control channel ({@code URG}); it stays once the channel is open. */
    public static final String WAKE_PROPERTY = "jfail.control.wake";
    /**
     * Set in the JVM to how many times it has tried to open the channel, once the socket's and the
     * error's properties say how the last try went (the error's is empty when it opened): a CLI that
     * knocked waits for it to go up.
     */
    public static final String ATTEMPT_PROPERTY = "jfail.control.attempt";

    /** How long after JVM start the surfaces are made. */
    private static final long BACKGROUND_DELAY_MS = 1000;

    private static final Object LOCK = new Object();
    private static ControlServer server; // guarded by LOCK
    private static boolean removalHooked; // guarded by LOCK
    private static boolean onSignal; // guarded by LOCK: SIGURG opens the channel (when it is not open)
    private static int attempts; // guarded by LOCK

    private ControlSurfaces() {
    }

    /**
     * Makes the MBean and the control channel at once ({@code now}); otherwise registers the MBean a
     * second later in the background, and opens the channel on SIGURG (or, where that signal cannot
     * be handled, with the MBean).
     */
    public static void start(boolean now) {
        if (now) {
            FailPointsControl.register();
            startChannel(true);
            return;
        }
        boolean jmx = !"false".equalsIgnoreCase(System.getProperty("jfail.jmx"));
        boolean channelWanted = !"false".equalsIgnoreCase(System.getProperty("jfail.control"));
        if (!jmx && !channelWanted) {
            return;
        }
        // all of it off the JVM's start: the CLI waits for the wake property to appear
        Thread t = new Thread(new Runnable() { // no lambda: linking the first one slows start-up
            @Override
            public void run() {
                boolean channel = channelWanted && !openOnSignal();
                if (!jmx && !channel) {
                    return;
                }
                try {
                    Thread.sleep(BACKGROUND_DELAY_MS);
                } catch (InterruptedException e) {
                    return;
                }
                if (channel) {
                    startChannel(false);
                }
                if (jmx) {
                    FailPointsControl.register();
                }
            }
        }, "jfail-control-start");
        t.setDaemon(true);
        t.start();
    }

    /** Has SIGURG open the channel; false when this JVM cannot handle that signal. */
    private static boolean openOnSignal() {
        synchronized (LOCK) {
            onSignal = handleKnocks();
            if (onSignal) {
                System.setProperty(WAKE_PROPERTY, WakeSignal.NAME);
            }
            return onSignal;
        }
    }

    private static boolean handleKnocks() {
        try {
            return WakeSignal.onSignal(new Runnable() {
                @Override
                public void run() {
                    startChannel(true);
                }
            });
        } catch (LinkageError noJdkUnsupported) {
            return false;
        }
    }

    /**
     * Starts the control channel, unless it serves already: also after it failed, so the next knock
     * (or load) opens it again. A platform without Unix domain sockets is reported only when the CLI
     * asked for the channel ({@code asked}); a socket path taken by another user always is.
     */
    private static void startChannel(boolean asked) {
        synchronized (LOCK) {
            if (server != null && server.serving()) {
                return;
            }
            if (server != null) {
                server.close(); // its socket file is gone: serve a new one
                server = null;
            }
            if (!removeAtExit()) {
                return; // the JVM is ending: no socket to leave behind
            }
            try {
                server = ControlServer.start(ControlServer.socketPath(ProcessHandle.current().pid()),
                        new FailPointsControl(FailPointRegistry.global()), new Runnable() {
                            @Override
                            public void run() {
                                failed();
                            }
                        });
                // the socket's property outranks the wake signal, which stays; an earlier error is
                // emptied, not removed: a property removed while the CLI reads the properties through
                // attach fails that read in the JDK's attach listener (a NullPointerException in JDK 17)
                System.setProperty(SOCKET_PROPERTY, server.path().toString());
                if (System.getProperty(ERROR_PROPERTY) != null) {
                    System.setProperty(ERROR_PROPERTY, "");
                }
                if (onSignal) {
                    WakeSignal.ignore(); // knocks on an open channel cost nothing, not a thread each
                }
            } catch (UnsupportedOperationException e) {
                fail("this platform has no Unix domain sockets", asked);
            } catch (IOException e) {
                fail("cannot open the control socket: " + Messages.message(e), true); // its message says what is in the way
            } catch (Exception | LinkageError e) {
                fail("cannot open the control socket: " + Messages.oneLine(e), true);
            } finally {
                System.setProperty(ATTEMPT_PROPERTY, Integer.toString(++attempts));
            }
        }
    }

    /** The serving thread failed and closed the channel: the next knock opens it again. */
    private static void failed() {
        synchronized (LOCK) {
            server = null;
            System.setProperty(ERROR_PROPERTY, "the control channel failed; the next use of the CLI opens it again");
            if (onSignal) {
                onSignal = handleKnocks();
            }
        }
    }

    private static void fail(String why, boolean report) {
        System.setProperty(ERROR_PROPERTY, why);
        if (report) {
            Report.error(why + "; until it opens, the CLI reaches this JVM only with --jmx");
        } else {
            Report.verbose(why);
        }
    }

    /**
     * Has the socket removed when the JVM ends, whenever that is: the hook is in place before the
     * socket exists, and waits for a start under way (it takes {@link #LOCK}). False when the JVM
     * is ending already.
     */
    private static boolean removeAtExit() {
        if (removalHooked) {
            return true;
        }
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(new Runnable() {
                @Override
                public void run() {
                    synchronized (LOCK) {
                        if (server != null) {
                            server.close();
                        }
                    }
                }
            }, "jfail-control-remove"));
            removalHooked = true;
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }
}
