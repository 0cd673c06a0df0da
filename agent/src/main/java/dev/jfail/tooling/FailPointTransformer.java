package dev.jfail.tooling;

import dev.jfail.agent.JFailAgentLocation;
import dev.jfail.bootstrap.Bootstrap;
import dev.jfail.bootstrap.SlowPath;
import dev.jfail.core.Messages;
import dev.jfail.core.Report;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.Supplier;

/**
 * Sees every class the JVM loads or retransforms and hands to the {@link Instrumenter} only the few
 * that carry a failpoint: those whose constant pool names {@code @FailPoint}, those named by a
 * configuration declaration, and those an {@code auto@} declaration covers ({@link AutoPoints}).
 * Everything else is returned untouched after a scan of its constant pool (none at all for the
 * JDK's own loaders). Never throws: a class that cannot be instrumented
 * is reported and left as it was.
 */
public final class FailPointTransformer implements ClassFileTransformer {

    /** The agent's own code and its relocated libraries are never instrumented. */
    private static final String[] OWN = {
            "dev/jfail/agent/", "dev/jfail/bootstrap/", "dev/jfail/tooling/", "dev/jfail/config/", "dev/jfail/core/", "dev/jfail/trace/", "dev/jfail/explore/", "dev/jfail/cli/", "dev/jfail/control/", "dev/jfail/jmx/", "dev/jfail/shaded/"};

    private final PointCatalog catalog;
    private final Supplier<Instrumenter> instrumenter;
    private final Map<ClassLoader, String> seesAgent = new WeakHashMap<>();

    public FailPointTransformer(PointCatalog catalog, Supplier<Instrumenter> instrumenter) {
        this.catalog = catalog;
        this.instrumenter = instrumenter;
    }

    /** A class file with one constant, to run the fast path once before the JVM calls it. */
    private static final byte[] WARM_UP = {
            (byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 0, 0, 0, 61, 0, 2, 1, 0, 1, 'x'};

    /** Loads every class the fast path uses, by running it on a class that carries nothing. */
    public void warmUp() {
        if (transform(null, null, "dev/jfail/warmup/WarmUp", null, null, WARM_UP) != null) {
            throw new IllegalStateException("the warm-up class must be left alone");
        }
        Messages.oneLine(new IllegalStateException("warm-up")); // the slow path's reporting, too
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] bytes) {
        if (className == null || bytes == null || isOwn(className)) {
            return null;
        }
        try {
            List<PointDeclaration> configured = catalog.forClass(className);
            boolean automatic = catalog.automatic(className) && !cannotSeeAgent(loader);
            if (configured.isEmpty() && !automatic && (cannotSeeAgent(loader) || !ClassFileScan.mentionsFailPoint(bytes))) {
                return null;
            }
            String blind = blindness(loader);
            if (blind != null) {
                Report.error("cannot instrument " + className.replace('/', '.') + ": its class loader " + loader
                        + " " + blind + "; left as it was");
                return null;
            }
            if (!automatic) {
                return instrumenter.get().instrument(module, loader, className, bytes, configured);
            }
            List<PointDeclaration> points = AutoPoints.of(bytes);
            List<PointDeclaration> all = new ArrayList<>(configured);
            all.addAll(points);
            byte[] rewritten = instrumenter.get().instrument(module, loader, className, bytes, all);
            catalog.placed(className, rewritten == null ? List.of() : points);
            return rewritten;
        } catch (Throwable t) {
            Report.error("cannot instrument " + className.replace('/', '.') + ": " + Messages.oneLine(t)
                    + "; left as it was" + hint(t));
            return null;
        }
    }

    /**
     * The one failure with a known cause: the agent's classes came from a build that was never
     * shaded (a classes directory ahead of the agent jar on the class path) and look for ByteBuddy
     * under its own name.
     */
    private static String hint(Throwable t) {
        if (t instanceof LinkageError && String.valueOf(t.getMessage()).contains("net/bytebuddy")) {
            return " (jfail's classes were loaded from " + JFailAgentLocation.of(FailPointTransformer.class)
                    + ", which is not the packaged jfail-agent.jar: put the jar on the class path instead)";
        }
        return "";
    }

    /**
     * The JDK's own loaders (boot and platform): code they load cannot call the agent, and carries
     * no failpoint unless a declaration names it (then it is reported); not scanned, as most
     * classes a JVM loads are theirs.
     */
    static boolean cannotSeeAgent(ClassLoader loader) {
        return loader == null || loader == PLATFORM;
    }

    private static final ClassLoader PLATFORM = ClassLoader.getPlatformClassLoader();

    static boolean isOwn(String internalName) {
        // the API package (dev.jfail.FailPoints, its exceptions...), loaded before the agent starts:
        // reading its class files back for a scan costs a jar URL connection at start-up
        if (internalName.startsWith("dev/jfail/") && internalName.indexOf('/', "dev/jfail/".length()) < 0) {
            return true;
        }
        for (String prefix : OWN) {
            if (internalName.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Instrumented code calls {@link SlowPath} and {@link Bootstrap} by name from its own class loader,
     * so that loader must resolve them to this very agent (not the boot loader, not a private copy).
     * Returns why it does not, or null when it does.
     */
    private String blindness(ClassLoader loader) {
        if (loader == null) {
            return "(the boot loader) cannot see the jfail agent's classes";
        }
        synchronized (seesAgent) {
            String known = seesAgent.get(loader);
            if (known != null) {
                return known.isEmpty() ? null : known;
            }
        }
        String blind;
        try {
            blind = Class.forName(SlowPath.class.getName(), false, loader) == SlowPath.class ? ""
                    : "has a copy of jfail's classes of its own (its failpoints would not be the agent's);"
                    + " leave jfail to the parent class path";
        } catch (ClassNotFoundException | LinkageError e) {
            blind = "cannot see the jfail agent's classes";
        }
        synchronized (seesAgent) {
            seesAgent.put(loader, blind);
        }
        return blind.isEmpty() ? null : blind;
    }
}
