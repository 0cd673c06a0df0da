package com.example.libraries;

import org.apache.log4j.AsyncAppender;
import org.apache.log4j.Hierarchy;
import org.apache.log4j.Level;
import org.apache.log4j.Logger;
import org.apache.log4j.PatternLayout;
import org.apache.log4j.WriterAppender;
import org.apache.log4j.spi.RootLogger;

import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Two documented races of log4j 1.2, as an application meets them. Each run builds its own logger
 * hierarchy, so the locks of a run that deadlocked are never those of the next.
 */
final class Log4jWorkloads {

    private Log4jWorkloads() {
    }

    /**
     * log4j bug 41214 (open in every 1.2 release): one appender shared by two loggers, and a message
     * whose {@code toString()} logs. Thread "app" logs the message: it holds the root logger's lock
     * (Category.callAppenders) and the appender's (AppenderSkeleton.doAppend) while the layout calls
     * {@code toString()}, which logs to "audit" and needs that logger's lock. Thread "audit" logs at
     * the same time: it holds "audit"'s lock and needs the appender's. The symptom: a deadlock.
     *
     * @param toStringLogs false for the correct use (a message that only renders itself)
     */
    static void nestedLogging(boolean toStringLogs) throws InterruptedException {
        Hierarchy hierarchy = new Hierarchy(new RootLogger(Level.DEBUG));
        WriterAppender out = new WriterAppender(new PatternLayout("%c %m%n"), new StringWriter());
        hierarchy.getRootLogger().addAppender(out);
        Logger audit = hierarchy.getLogger("audit");
        audit.addAppender(out);
        audit.setAdditivity(false);
        Logger app = hierarchy.getLogger("app");
        Object order = new Object() {
            @Override
            public String toString() {
                if (toStringLogs) {
                    audit.debug("order 42 rendered");
                }
                return "order 42";
            }
        };
        Thread[] threads = Threads.start(() -> app.info(order), () -> audit.info("audit entry"));
        Threads.joinOrFailOnDeadlock(threads);
    }

    /**
     * The AsyncAppender of log4j 1.2.15 and before renders a message in its dispatcher thread, not
     * in the thread that logged it (fixed in 1.2.16: {@code append} renders the message and the
     * throwable before queueing the event). An application that changes an object after logging
     * it sees the change in the log. The symptom: the line written shows the later state (a line
     * that is not written at all is another story, not this race's).
     */
    static void asyncLogging() throws InterruptedException {
        asyncLogging(false);
    }

    /**
     * {@link #asyncLogging()}, or with {@code renderFirst} the correct use of an AsyncAppender before
     * 1.2.16: log the message's string, rendered in the caller's thread.
     */
    static void asyncLogging(boolean renderFirst) throws InterruptedException {
        Hierarchy hierarchy = new Hierarchy(new RootLogger(Level.DEBUG));
        StringWriter written = new StringWriter();
        AsyncAppender async = new AsyncAppender();
        async.addAppender(new WriterAppender(new PatternLayout("%m%n"), written));
        Logger orders = hierarchy.getLogger("orders");
        orders.addAppender(async);
        orders.setAdditivity(false);

        StringBuilder order = new StringBuilder("order 42: placed");
        orders.info(renderFirst ? order.toString() : order);
        Thread.sleep(5);                              // the caller goes on with its work (a 5 ms call)
        order.replace(10, order.length(), "shipped");
        async.close();                                // waits for the dispatcher to write everything
        assertFalse(written.toString().contains("shipped"), () -> "logged 'placed', wrote '" + written + "'");
    }
}
