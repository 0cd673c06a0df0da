package dev.jfail.tooling;

import dev.jfail.core.Messages;
import dev.jfail.core.Report;
import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * Brings classes that were loaded before the agent (or before a declaration) under its control, by
 * retransformation. Each class is retransformed alone, so one that cannot be is reported and the
 * others still are.
 */
public final class Retransformer {

    private final Instrumentation instrumentation;
    private final PointCatalog catalog;

    public Retransformer(Instrumentation instrumentation, PointCatalog catalog) {
        this.instrumentation = instrumentation;
        this.catalog = catalog;
    }

    /** Retransforms every loaded class that carries a failpoint; returns how many. */
    public int retransformCarriers() {
        return retransform(candidates(null));
    }

    /** Retransforms the loaded classes among {@code internalNames}; returns how many. */
    public int retransformNamed(Collection<String> internalNames) {
        return retransformNamed(internalNames, List.of());
    }

    /** Retransforms the loaded classes among {@code internalNames} and those {@code autos} cover; returns how many. */
    public int retransformNamed(Collection<String> internalNames, Collection<AutoDeclaration> autos) {
        return internalNames.isEmpty() && autos.isEmpty() ? 0 : retransform(candidates(internalNames, autos));
    }

    private static boolean covered(Collection<AutoDeclaration> autos, String internalName) {
        for (AutoDeclaration auto : autos) {
            if (auto.covers(internalName)) {
                return true;
            }
        }
        return false;
    }

    private List<Class<?>> candidates(Collection<String> onlyThese) {
        return candidates(onlyThese, List.of());
    }

    private List<Class<?>> candidates(Collection<String> onlyThese, Collection<AutoDeclaration> autos) {
        List<Class<?>> found = new ArrayList<>();
        for (Class<?> type : instrumentation.getAllLoadedClasses()) {
            // the agent's own packages carry no failpoint, but a jar that embeds the agent
            // (a Launcher-Agent-Class) has application classes beside them: filter by package
            if (!mayCarry(type)) {
                continue;
            }
            String internalName = type.getName().replace('.', '/');
            if (FailPointTransformer.isOwn(internalName)) {
                continue;
            }
            boolean wanted = onlyThese == null
                    ? !catalog.forClass(internalName).isEmpty() || catalog.automatic(internalName)
                    || carriesAnnotation(type, internalName)
                    : onlyThese.contains(internalName) || covered(autos, internalName);
            if (wanted && instrumentation.isModifiableClass(type)) {
                found.add(type);
            }
        }
        return found;
    }

    private static boolean mayCarry(Class<?> type) {
        return !FailPointTransformer.cannotSeeAgent(type.getClassLoader()) && !type.isArray() && !type.isHidden();
    }

    /**
     * Why {@code spec} names nothing in a class of its name that is already loaded (no such method,
     * no such position in it), in one line; null when it names something or no such class is loaded
     * (its class file is checked when it loads).
     */
    public String problemWithLoaded(PointDeclaration spec) {
        for (Class<?> type : instrumentation.getAllLoadedClasses()) {
            if (!type.getName().equals(spec.className()) || !mayCarry(type)) {
                continue;
            }
            byte[] classFile = classFile(type, spec.internalClassName());
            String problem = classFile != null ? MethodShapes.of(classFile).problem(spec) : lacksMethod(type, spec);
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    private static byte[] classFile(Class<?> type, String internalName) {
        try (InputStream in = type.getClassLoader().getResourceAsStream(internalName + ".class")) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Without a class file (a class made at run time), reflection can still tell a missing method. */
    private static String lacksMethod(Class<?> type, PointDeclaration spec) {
        try {
            TreeSet<String> names = new TreeSet<>();
            for (Method method : type.getDeclaredMethods()) {
                if (method.getName().equals(spec.methodName())) {
                    return null;
                }
                names.add(method.getName());
            }
            return type.getName() + " has no method " + spec.methodName() + "; its methods are " + String.join(", ", names);
        } catch (RuntimeException | LinkageError e) {
            return null; // cannot tell: let the instrumentation decide
        }
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
                Report.error("cannot retransform " + type.getName() + ": " + Messages.oneLine(t) + "; left as it was");
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
