package dev.jfail.agent;

import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Brings classes that were loaded before the agent (or before a declaration) under its control, by
 * retransformation. Each class is retransformed alone, so one that cannot be is reported and the
 * others still are.
 */
final class Retransformer {

    private final Instrumentation instrumentation;
    private final PointCatalog catalog;

    Retransformer(Instrumentation instrumentation, PointCatalog catalog) {
        this.instrumentation = instrumentation;
        this.catalog = catalog;
    }

    /** Retransforms every loaded class that carries a failpoint; returns how many. */
    int retransformCarriers() {
        return retransform(candidates(null));
    }

    /** Retransforms the loaded classes among {@code internalNames}; returns how many. */
    int retransformNamed(Collection<String> internalNames) {
        return internalNames.isEmpty() ? 0 : retransform(candidates(internalNames));
    }

    private List<Class<?>> candidates(Collection<String> onlyThese) {
        List<Class<?>> found = new ArrayList<>();
        ClassLoader platform = ClassLoader.getPlatformClassLoader();
        ProtectionDomain agentJar = Retransformer.class.getProtectionDomain();
        for (Class<?> type : instrumentation.getAllLoadedClasses()) {
            ClassLoader loader = type.getClassLoader();
            // the boot and platform loaders hold the JDK, which cannot see the agent anyway;
            // the agent's own jar carries no failpoint
            if (loader == null || loader == platform || type.isArray() || type.isHidden()
                    || type.getProtectionDomain() == agentJar) {
                continue;
            }
            String internalName = type.getName().replace('.', '/');
            if (FailPointTransformer.isOwn(internalName)) {
                continue;
            }
            boolean wanted = onlyThese == null
                    ? !catalog.forClass(internalName).isEmpty() || carriesAnnotation(type, internalName)
                    : onlyThese.contains(internalName);
            if (wanted && instrumentation.isModifiableClass(type)) {
                found.add(type);
            }
        }
        return found;
    }

    private int retransform(List<Class<?>> classes) {
        if (classes.isEmpty()) {
            return 0;
        }
        if (!instrumentation.isRetransformClassesSupported()) {
            Report.error(classes.size() + " classes already loaded carry fail points, but this agent cannot"
                    + " retransform (no Can-Retransform-Classes in its manifest); they stay uninstrumented");
            return 0;
        }
        int done = 0;
        for (Class<?> type : classes) {
            try {
                instrumentation.retransformClasses(type);
                done++;
            } catch (Throwable t) {
                Report.error("cannot retransform " + type.getName() + ": " + Report.describe(t) + "; left as it was");
            }
        }
        return done;
    }

    /**
     * Reads the class file the class came from, when there is one; a class made at run time has
     * none, so reflection decides (catching what linking its signatures may throw).
     */
    private static boolean carriesAnnotation(Class<?> type, String internalName) {
        try (InputStream in = type.getClassLoader().getResourceAsStream(internalName + ".class")) {
            if (in != null) {
                return ClassFileScan.mentionsFailPoint(in.readAllBytes());
            }
        } catch (IOException | RuntimeException e) {
            // fall back to reflection
        }
        try {
            for (Method method : type.getDeclaredMethods()) {
                for (Annotation annotation : method.getDeclaredAnnotations()) {
                    if (annotation.annotationType().getName().equals("dev.jfail.FailPoint")) {
                        return true;
                    }
                }
            }
        } catch (RuntimeException | LinkageError e) {
            // a class whose methods cannot even be listed is not one we could instrument
        }
        return false;
    }
}
