package dev.jfail.tooling;

import dev.jfail.bootstrap.Bootstrap;
import dev.jfail.core.Messages;
import dev.jfail.core.Report;

import java.util.function.Supplier;

/**
 * Prepares instrumentation on a background thread at agent start. The first class that carries a
 * failpoint would otherwise wait, on the application's own thread, while the JVM loads, verifies
 * and interprets ASM for the first time and makes the lambda forms of the first check (tens of
 * milliseconds). Started at once, this runs on a spare core while the application starts, which
 * takes longer than it does; a class that comes sooner waits only for what is left.
 */
public final class WarmUp {

    private WarmUp() {
    }

    public static void start(Supplier<Instrumenter> instrumenter) {
        Thread t = new Thread(new Runnable() { // no lambda: linking the first one slows start-up
            @Override
            public void run() {
                try {
                    instrumenter.get();
                    Instrumenter.warmUp();
                    Bootstrap.warmUp();
                } catch (Throwable e) {
                    // nothing is lost: the first class to instrument does the same work itself
                    Report.verbose("warm-up: " + Messages.oneLine(e));
                }
            }
        }, "jfail-warm-up");
        t.setDaemon(true);
        t.start();
    }
}
