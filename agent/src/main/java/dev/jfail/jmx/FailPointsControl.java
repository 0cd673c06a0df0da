package dev.jfail.jmx;

import dev.jfail.agent.JFailAgent;
import dev.jfail.agent.Report;
import dev.jfail.core.FailPointRegistry;

import javax.management.InstanceAlreadyExistsException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The MBean behind {@link FailPointsMXBean}, over the JVM's registry. Every failure is turned into
 * a plain {@link IllegalArgumentException} or {@link IllegalStateException} with a one-line message,
 * so that any JMX client (one without jfail's classes, like jconsole) can show it.
 */
public final class FailPointsControl implements FailPointsMXBean {

    /** {@code dev.jfail:type=FailPoints}, as a string: JMX's classes are loaded only when needed. */
    public static final String NAME = "dev.jfail:type=FailPoints";

    private static final Object LOCK = new Object();
    private static boolean registered; // guarded by LOCK

    private final FailPointRegistry registry;

    public FailPointsControl(FailPointRegistry registry) {
        this.registry = registry;
    }

    /**
     * Registers the MBean with the platform MBean server, once. At JVM start
     * {@link dev.jfail.control.ControlSurfaces} calls this a second late, off the main thread.
     */
    public static void register() {
        synchronized (LOCK) {
            if (registered) {
                return;
            }
            try {
                MBeanServer server = ManagementFactory.getPlatformMBeanServer();
                ObjectName name = objectName();
                if (!server.isRegistered(name)) {
                    server.registerMBean(new FailPointsMBean(new FailPointsControl(FailPointRegistry.global())), name);
                }
                registered = true;
            } catch (InstanceAlreadyExistsException e) {
                registered = true; // another copy of jfail got there first
            } catch (Exception | LinkageError e) {
                Report.error("cannot register the JMX MBean " + NAME + ": " + Report.describe(e));
            }
        }
    }

    @Override
    public Map<String, String> list() {
        return call(registry::list);
    }

    @Override
    public String get(String name) {
        return call(() -> registry.get(name));
    }

    @Override
    public void set(String name, String setting) {
        run(() -> registry.set(name, setting));
    }

    @Override
    public void setAll(String settings) {
        run(() -> registry.setAll(settings));
    }

    @Override
    public void off(String name) {
        run(() -> registry.set(name, "off"));
    }

    @Override
    public void reset() {
        run(registry::reset);
    }

    @Override
    public PointStatus status(String name) {
        return call(() -> PointStatus.of(registry.status(name)));
    }

    @Override
    public List<PointStatus> statusAll() {
        return call(() -> registry.list().keySet().stream().map(n -> PointStatus.of(registry.status(n))).toList());
    }

    @Override
    public List<String> declare(String specs) {
        return call(() -> JFailAgent.declare(specs));
    }

    @Override
    public List<String> getDeclarations() {
        return JFailAgent.declarations();
    }

    @Override
    public long getSeed() {
        return call(registry::seed);
    }

    @Override
    public void setSeed(long seed) {
        run(() -> registry.seed(seed));
    }

    @Override
    public String getVersion() {
        String v = FailPointsControl.class.getPackage().getImplementationVersion();
        return v == null ? "unknown" : v;
    }

    private static <T> T call(Supplier<T> body) {
        try {
            return body.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(oneLine(e));
        } catch (RuntimeException e) {
            throw new IllegalStateException(Report.describe(e));
        }
    }

    private static void run(Runnable body) {
        call(() -> {
            body.run();
            return null;
        });
    }

    private static String oneLine(Throwable e) {
        return e.getMessage() == null ? e.getClass().getName() : e.getMessage().strip().replace('\n', ' ');
    }

    /** {@link #NAME} as an {@link ObjectName}. */
    public static ObjectName objectName() {
        try {
            return new ObjectName(NAME);
        } catch (MalformedObjectNameException e) {
            throw new IllegalStateException(e);
        }
    }
}
