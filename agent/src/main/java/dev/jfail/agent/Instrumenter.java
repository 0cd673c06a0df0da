package dev.jfail.agent;

import dev.jfail.FailPoint;
import dev.jfail.FailPointPanic;
import dev.jfail.core.FailPointRegistry;
import dev.jfail.core.Site;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.annotation.AnnotationDescription;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.InstrumentedType;
import net.bytebuddy.dynamic.scaffold.MethodGraph;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.matcher.ElementMatchers;
import net.bytebuddy.pool.TypePool;

import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Rewrites one class with ByteBuddy: at the entry of every failpoint method (annotated, or named by
 * a {@link PointSpec}) it puts the failpoint check, {@link GuardPrologue}; points declared elsewhere in a method ({@link Position}) get
 * {@link Probes}. A declared position the method does not have is reported and left out. The class
 * keeps its shape (no new members),
 * so the same rewrite serves classes being loaded and classes being retransformed.
 */
final class Instrumenter {

    /** Class files from Java 7 on can use invokedynamic for the guard. */
    private static final int FIRST_WITH_INDY = 51;
    /** Class files from Java 6 on carry stack map frames. */
    private static final int FIRST_WITH_FRAMES = 50;

    private final Instrumentation instrumentation;
    private final FailPointRegistry registry;
    private final ByteBuddy byteBuddy;

    Instrumenter(Instrumentation instrumentation, FailPointRegistry registry) {
        this.instrumentation = instrumentation;
        this.registry = registry;
        // the class must keep its shape to be retransformable: no added fields, methods or initializers
        this.byteBuddy = new ByteBuddy()
                .with(TypeValidation.DISABLED)
                .with(Implementation.Context.Disabled.Factory.INSTANCE)
                .with(InstrumentedType.Factory.Default.FROZEN)
                .with(MethodGraph.Compiler.ForDeclaredMethods.INSTANCE);
    }

    /**
     * The rewritten class file, or null when nothing in it is a failpoint site. Throws when the
     * class cannot be rewritten; the caller reports it and leaves the class as it was.
     */
    byte[] instrument(Module module, ClassLoader loader, String internalName, byte[] bytes, List<PointSpec> configured) {
        String typeName = internalName.replace('/', '.');
        ClassFileLocator locator = new ClassFileLocator.Compound(
                ClassFileLocator.Simple.of(typeName, bytes), ClassFileLocator.ForClassLoader.of(loader));
        TypePool pool = new TypePool.Default.WithLazyResolution(
                new TypePool.CacheProvider.Simple(), locator, TypePool.Default.ReaderMode.FAST);
        TypeDescription type = pool.describe(typeName).resolve();
        boolean indy = ClassFileScan.majorVersion(bytes) >= FIRST_WITH_INDY;
        boolean frames = ClassFileScan.majorVersion(bytes) >= FIRST_WITH_FRAMES;

        List<Target> targets = existing(targets(type, configured), bytes);
        if (targets.isEmpty()) {
            return null;
        }
        DynamicType.Builder<?> builder = byteBuddy.redefine(type, locator);
        Map<MethodDescription.InDefinedShape, List<Probes.Probe>> inside = new LinkedHashMap<>();
        for (Target target : targets) {
            if (target.position().isEntry()) {
                builder = builder.visit(check(target, number(loader, target), indy, frames));
            } else {
                inside.computeIfAbsent(target.method(), m -> new ArrayList<>())
                        .add(new Probes.Probe(number(loader, target), target.position()));
            }
        }
        for (Map.Entry<MethodDescription.InDefinedShape, List<Probes.Probe>> e : inside.entrySet()) {
            builder = builder.visit(new AsmVisitorWrapper.ForDeclaredMethods()
                    .readerFlags(ClassReader.EXPAND_FRAMES)
                    .invokable(ElementMatchers.is(e.getKey()), new Probes(e.getValue(), indy, frames)));
        }
        byte[] rewritten = builder.make(pool).getBytes();
        assureReadEdge(module);
        for (Target target : targets) {
            declare(target); // only now that the class will carry it
            Report.verbose("instrumented " + target.readable() + " as fail point " + target.point()
                    + (indy ? "" : " (class file before Java 7: the check through a static final MethodHandle)"));
        }
        return rewritten;
    }

    /** A method and the point it carries, where in it, and the site's name ({@code com.acme.Pool.borrow():1088}). */
    private record Target(MethodDescription.InDefinedShape method, String point, String panicType, String readable,
                          Position position) {
    }

    /** The targets whose position exists in their method; each other one reported on one line. */
    private static List<Target> existing(List<Target> targets, byte[] bytes) {
        if (targets.stream().allMatch(t -> t.position().isEntry() || t.position().kind() == Position.Kind.EXIT)) {
            return targets;
        }
        MethodShapes shapes = MethodShapes.of(bytes);
        List<Target> found = new ArrayList<>();
        for (Target t : targets) {
            String problem = null;
            for (MethodShapes.Shape shape : shapes.methods(t.method().getInternalName(), t.method().getDescriptor())) {
                problem = shapes.problem(shape, t.position());
            }
            if (problem == null) {
                found.add(t);
            } else {
                Report.error("fail point " + t.point() + " at " + t.position() + ": " + problem + "; not placed");
            }
        }
        return found;
    }

    private static List<Target> targets(TypeDescription type, List<PointSpec> configured) {
        List<Target> targets = new ArrayList<>();
        for (MethodDescription.InDefinedShape method : type.getDeclaredMethods()) {
            AnnotationDescription.Loadable<FailPoint> annotation = method.getDeclaredAnnotations().ofType(FailPoint.class);
            List<Target> here = new ArrayList<>();
            if (annotation != null) {
                String name = annotation.getValue("value").resolve(String.class);
                TypeDescription panic = annotation.getValue("panic").resolve(TypeDescription.class);
                here.add(new Target(method, name, panic.getName(), readable(type, method), Position.ENTRY));
            }
            for (PointSpec spec : configured) {
                if (spec.matches(method.getInternalName(), method.getDescriptor())) {
                    here.add(new Target(method, spec.name(), FailPointPanic.class.getName(),
                            readable(type, method) + spec.position().siteSuffix(), spec.position()));
                }
            }
            if (here.isEmpty()) {
                continue;
            }
            if (method.isAbstract() || method.isNative() || !method.isMethod()) {
                Report.error("cannot put fail point " + here.get(0).point() + " on " + readable(type, method)
                        + ": it has no body to instrument");
                continue;
            }
            targets.addAll(here);
        }
        return targets;
    }

    /** The site's number, binding it to its point the first time. */
    private int number(ClassLoader loader, Target target) {
        SiteBinding binding = new SiteBinding(registry.point(target.point()), target.method().getDeclaringType().getName(),
                target.method().getName(), target.readable(), returnType(target), target.panicType(), loader);
        return Sites.register(loader, target.readable() + target.method().getDescriptor(), target.point(), binding);
    }

    /** Tells the registry the point has a site, so that settings it cannot honour are refused. */
    private void declare(Target target) {
        try {
            registry.point(target.point()).declare(new Site(target.readable(), returnType(target)));
        } catch (RuntimeException e) {
            Report.error("fail point " + target.point() + " at " + target.readable() + ": " + Report.describe(e));
        }
    }

    private static String returnType(Target target) {
        return target.method().getReturnType().asErasure().getName();
    }

    /** The compact prologue ({@link GuardPrologue}), through invokedynamic or, in class files before Java 7, {@link LegacyGuards}. */
    private static AsmVisitorWrapper check(Target target, int site, boolean indy, boolean frames) {
        return new AsmVisitorWrapper.ForDeclaredMethods()
                .readerFlags(ClassReader.EXPAND_FRAMES)
                .invokable(ElementMatchers.is(target.method()), new GuardPrologue(site, indy, frames));
    }

    /** Code in a named module must be allowed to read the agent's classes it now calls. */
    private void assureReadEdge(Module module) {
        Module ours = Hooks.class.getModule();
        if (module != null && module.isNamed() && !module.canRead(ours)) {
            instrumentation.redefineModule(module, Set.of(ours), Map.of(), Map.of(), Set.of(), Map.of());
        }
    }

    /** {@code com.foo.Bar.fetch(java.lang.String, int)}, the way people read a method. */
    static String readable(TypeDescription type, MethodDescription method) {
        return type.getName() + "." + method.getName() + method.getParameters().asTypeList().asErasures().stream()
                .map(TypeDescription::getActualName).collect(Collectors.joining(", ", "(", ")"));
    }
}
