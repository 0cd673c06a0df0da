package dev.jfail.tooling;

import dev.jfail.FailPointPanic;
import dev.jfail.bootstrap.SiteBinding;
import dev.jfail.bootstrap.Sites;
import dev.jfail.bootstrap.SlowPath;
import dev.jfail.core.FailPointRegistry;
import dev.jfail.core.FailPointState;
import dev.jfail.core.Messages;
import dev.jfail.core.Report;
import dev.jfail.core.Site;
import net.bytebuddy.jar.asm.AnnotationVisitor;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rewrites one class with ASM: at the entry of every failpoint method (annotated, or named by a
 * {@link PointDeclaration}) it puts the failpoint check, {@link GuardPrologue}; points declared elsewhere
 * in a method ({@link Position}) get {@link Probes}. A declared position the method does not have
 * is reported and left out. The class keeps its shape (no new members), so the same rewrite serves
 * classes being loaded and classes being retransformed. Only ASM is used (not the rest of
 * ByteBuddy, which would load some 500 classes into the JVM's start).
 */
public final class Instrumenter {

    /** Class files from Java 7 on can use invokedynamic for the guard. */
    private static final int FIRST_WITH_INDY = 51;
    /** Class files from Java 6 on carry stack map frames. */
    private static final int FIRST_WITH_FRAMES = 50;
    private static final String FAIL_POINT = "Ldev/jfail/FailPoint;";

    private final Instrumentation instrumentation;
    private final FailPointRegistry registry;

    public Instrumenter(Instrumentation instrumentation, FailPointRegistry registry) {
        this.instrumentation = instrumentation;
        this.registry = registry;
    }

    /**
     * The rewritten class file, or null when nothing in it is a failpoint site. Throws when the
     * class cannot be rewritten; the caller reports it and leaves the class as it was.
     */
    byte[] instrument(Module module, ClassLoader loader, String internalName, byte[] bytes, List<PointDeclaration> configured) {
        String typeName = internalName.replace('/', '.');
        ClassReader reader = ClassFiles.reader(bytes);
        List<Target> targets = existing(targets(reader, typeName, configured), bytes);
        if (targets.isEmpty()) {
            return null;
        }
        int major = ClassFileScan.majorVersion(bytes);
        boolean indy = major >= FIRST_WITH_INDY;
        boolean frames = major >= FIRST_WITH_FRAMES;
        // (no lambdas or streams on this path: linking the first ones costs the JVM's start-up milliseconds)
        Map<String, List<Integer>> entries = new LinkedHashMap<>();
        Map<String, List<Probes.Probe>> inside = new LinkedHashMap<>();
        for (Target target : targets) {
            int site = number(loader, target);
            if (target.position().isEntry()) {
                entries.putIfAbsent(target.key(), new ArrayList<>());
                entries.get(target.key()).add(site);
            } else {
                inside.putIfAbsent(target.key(), new ArrayList<>());
                inside.get(target.key()).add(new Probes.Probe(site, target.position()));
            }
        }
        byte[] rewritten = rewrite(reader, ClassFiles.version(bytes), internalName, entries, inside, indy, frames);
        assureReadEdge(module);
        for (Target target : targets) {
            declare(target); // only now that the class will carry it
            if (Report.verbose()) {
                Report.verbose("instrumented " + target.readable() + " as fail point " + target.point()
                        + (indy ? "" : " (class file before Java 7: the check through a static final MethodHandle)"));
            }
        }
        return rewritten;
    }

    /** The class with a {@link GuardPrologue} at the entry of the methods in {@code entries} and {@link Probes} where {@code inside} says. */
    private static byte[] rewrite(ClassReader reader, int version, String internalName, Map<String, List<Integer>> entries,
                                  Map<String, List<Probes.Probe>> inside, boolean indy, boolean frames) {
        ClassWriter writer = new ClassWriter(reader, 0);
        reader.accept(new ClassVisitor(ClassFiles.ASM_API, writer) {
            @Override
            public void visit(int v, int access, String name, String signature, String superName, String[] interfaces) {
                super.visit(version, access, name, signature, superName, interfaces);
            }

            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
                List<Probes.Probe> probes = inside.get(name + descriptor);
                if (probes != null) {
                    mv = new Probes(probes, indy, frames).wrap(mv, descriptor);
                }
                for (int site : entries.getOrDefault(name + descriptor, List.of())) {
                    mv = new GuardPrologue(site, indy, frames).wrap(mv, internalName, access, descriptor);
                }
                return mv;
            }
        }, ClassReader.EXPAND_FRAMES);
        return writer.toByteArray();
    }

    /**
     * Runs the whole rewrite once on a class made here, which is never defined and whose sites are
     * never registered: ASM's classes are then loaded, verified and initialised before the first
     * class that carries a failpoint, instead of while the application waits for that class.
     */
    static void warmUp() {
        String name = "dev/jfail/warmup/WarmUp";
        ClassWriter made = new ClassWriter(0);
        made.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, name, null, "java/lang/Object", null);
        MethodVisitor m = made.visitMethod(Opcodes.ACC_STATIC, "value", "(I)I", null, null);
        AnnotationVisitor point = m.visitAnnotation(FAIL_POINT, false);
        point.visit("value", "warm_up");
        point.visitEnd();
        m.visitCode();
        Label first = new Label();
        m.visitLabel(first);
        m.visitLineNumber(1, first);
        m.visitVarInsn(Opcodes.ILOAD, 0);
        m.visitInsn(Opcodes.IRETURN);
        m.visitMaxs(1, 1);
        m.visitEnd();
        MethodVisitor v = made.visitMethod(Opcodes.ACC_STATIC, "run", "()V", null, null);
        v.visitCode();
        v.visitInsn(Opcodes.RETURN);
        v.visitMaxs(0, 0);
        v.visitEnd();
        made.visitEnd();
        byte[] bytes = made.toByteArray();
        ClassReader reader = ClassFiles.reader(bytes);
        targets(reader, name.replace('/', '.'), List.of());
        MethodShapes.of(bytes);
        rewrite(reader, ClassFiles.version(bytes), name, Map.of("value(I)I", List.of(0), "run()V", List.of(0)),
                Map.of("value(I)I", List.of(new Probes.Probe(0, Position.EXIT))), true, true);
        // what numbering and declaring the first site load (a point's state, its binding, its site),
        // on a registry of its own: nothing is registered
        FailPointState state = new FailPointRegistry(0).point("warm_up");
        String readable = readable(name.replace('/', '.'), "value", "(I)I");
        new SiteBinding(state, name, "value", readable, "int", FailPointPanic.class.getName(), null);
        state.declare(new Site(readable, "int"));
        Sites.warmUp();
    }

    /** A method of the class file, as its {@code @FailPoint} and modifiers say. */
    private record Method(int access, String name, String descriptor, String annotated, String panicType) {
        boolean hasBody() {
            return (access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) == 0 && !name.startsWith("<");
        }
    }

    /** A method and the point it carries, where in it, and the site's name ({@code com.acme.Pool.borrow():1088}). */
    private record Target(String className, Method method, String point, String panicType, String readable,
                          Position position) {
        String key() {
            return method.name() + method.descriptor();
        }

        String returnType() {
            return Type.getReturnType(method.descriptor()).getClassName();
        }
    }

    /** The class file's methods, with what {@code @FailPoint} they carry (code is skipped). */
    private static List<Method> methods(ClassReader reader) {
        List<Method> methods = new ArrayList<>();
        reader.accept(new ClassVisitor(ClassFiles.ASM_API) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                String[] annotation = new String[2];
                return new MethodVisitor(ClassFiles.ASM_API) {
                    @Override
                    public AnnotationVisitor visitAnnotation(String type, boolean visible) {
                        if (!type.equals(FAIL_POINT)) {
                            return null;
                        }
                        return new AnnotationVisitor(ClassFiles.ASM_API) {
                            @Override
                            public void visit(String element, Object value) {
                                if (element.equals("value")) {
                                    annotation[0] = (String) value;
                                } else if (element.equals("panic")) {
                                    annotation[1] = ((Type) value).getClassName();
                                }
                            }
                        };
                    }

                    @Override
                    public void visitEnd() {
                        methods.add(new Method(access, name, descriptor, annotation[0],
                                annotation[1] != null ? annotation[1] : FailPointPanic.class.getName()));
                    }
                };
            }
        }, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        return methods;
    }

    private static List<Target> targets(ClassReader reader, String typeName, List<PointDeclaration> configured) {
        List<Target> targets = new ArrayList<>();
        for (Method method : methods(reader)) {
            List<Target> here = new ArrayList<>();
            String readable = readable(typeName, method.name(), method.descriptor());
            if (method.annotated() != null) {
                here.add(new Target(typeName, method, method.annotated(), method.panicType(), readable, Position.ENTRY));
            }
            for (PointDeclaration spec : configured) {
                if (spec.matches(method.name(), method.descriptor())) {
                    here.add(new Target(typeName, method, spec.name(), FailPointPanic.class.getName(),
                            readable + spec.position().siteSuffix(), spec.position()));
                }
            }
            if (here.isEmpty()) {
                continue;
            }
            if (!method.hasBody()) {
                Report.error("cannot put fail point " + here.get(0).point() + " on " + readable
                        + ": it has no body to instrument");
                continue;
            }
            targets.addAll(here);
        }
        return targets;
    }

    /** The targets whose position exists in their method; each other one reported on one line. */
    private static List<Target> existing(List<Target> targets, byte[] bytes) {
        boolean lines = false;
        for (Target t : targets) {
            lines |= !t.position().isEntry() && t.position().kind() != Position.Kind.EXIT;
        }
        if (!lines) {
            return targets;
        }
        MethodShapes shapes = MethodShapes.of(bytes);
        List<Target> found = new ArrayList<>();
        for (Target t : targets) {
            String problem = null;
            for (MethodShapes.Shape shape : shapes.methods(t.method().name(), t.method().descriptor())) {
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

    /** The site's number, binding it to its point the first time. */
    private int number(ClassLoader loader, Target target) {
        SiteBinding binding = new SiteBinding(registry.point(target.point()), target.className(),
                target.method().name(), target.readable(), target.returnType(), target.panicType(), loader);
        return Sites.register(loader, target.readable() + target.method().descriptor(), target.point(), binding);
    }

    /** Tells the registry the point has a site, so that settings it cannot honour are refused. */
    private void declare(Target target) {
        try {
            registry.point(target.point()).declare(new Site(target.readable(), target.returnType()));
        } catch (RuntimeException e) {
            Report.error("fail point " + target.point() + " at " + target.readable() + ": " + Messages.oneLine(e));
        }
    }

    /** Code in a named module must be allowed to read the agent's classes it now calls. */
    private void assureReadEdge(Module module) {
        Module ours = SlowPath.class.getModule();
        if (module != null && module.isNamed() && !module.canRead(ours)) {
            instrumentation.redefineModule(module, Set.of(ours), Map.of(), Map.of(), Set.of(), Map.of());
        }
    }

    /** {@code com.foo.Bar.fetch(java.lang.String, int)}, the way people read a method. */
    static String readable(String typeName, String method, String descriptor) {
        StringBuilder readable = new StringBuilder(typeName).append('.').append(method).append('(');
        Type[] parameters = Type.getArgumentTypes(descriptor);
        for (int i = 0; i < parameters.length; i++) {
            readable.append(i == 0 ? "" : ", ").append(parameters[i].getClassName());
        }
        return readable.append(')').toString();
    }
}
