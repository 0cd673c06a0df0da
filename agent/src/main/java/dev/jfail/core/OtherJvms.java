package dev.jfail.core;

import dev.jfail.Jvm;
import dev.jfail.JvmLauncher;

import java.util.Iterator;
import java.util.ServiceLoader;

/**
 * How the API ({@code FailPoints.jvm}, {@link JvmLauncher}) reaches other JVMs without depending on
 * the package that does it: the agent jar names its one implementation as a service, found here
 * when first needed (a test JVM that only controls others needs no agent of its own).
 */
public final class OtherJvms {

    /** What reaches other JVMs. */
    public interface Connector {
        Jvm connect(long pid);

        Jvm launch(JvmLauncher launcher);
    }

    private static volatile Connector connector;

    private OtherJvms() {
    }

    public static Connector connector() {
        Connector c = connector;
        if (c == null) {
            synchronized (OtherJvms.class) {
                c = connector;
                if (c == null) {
                    Iterator<Connector> found = ServiceLoader.load(Connector.class, OtherJvms.class.getClassLoader()).iterator();
                    if (!found.hasNext()) {
                        throw new IllegalStateException("jfail's classes at " + LoadedFrom.of(OtherJvms.class)
                                + " have no dev.jfail.remote (a partial copy of the agent jar?)");
                    }
                    connector = c = found.next();
                }
            }
        }
        return c;
    }
}
