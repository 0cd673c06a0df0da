package dev.jfail.tooling;

import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What a class file's methods contain that a {@link Position} can name: their source lines, the
 * calls they make and their synchronized blocks. Decides whether a position exists and, when it
 * does not, says what does instead.
 */
public final class MethodShapes {

    /** One method: {@code name + descriptor}, its lines in bytecode order, its calls, its monitorenters, its field reads. */
    record Shape(String name, String descriptor, List<Integer> lines, List<String[]> calls, int monitors,
                 List<String[]> reads) {
    }

    private final String className;
    private final Map<String, Shape> byKey;

    private MethodShapes(String className, Map<String, Shape> byKey) {
        this.className = className;
        this.byKey = byKey;
    }

    static MethodShapes of(byte[] classFile) {
        ClassReader reader = ClassFiles.reader(classFile);
        Map<String, Shape> shapes = new LinkedHashMap<>();
        reader.accept(new ClassVisitor(ClassFiles.ASM_API) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                List<Integer> lines = new ArrayList<>();
                List<String[]> calls = new ArrayList<>();
                List<String[]> reads = new ArrayList<>();
                int[] monitors = {0};
                shapes.put(name + descriptor, new Shape(name, descriptor, lines, calls, 0, reads));
                return new MethodVisitor(ClassFiles.ASM_API) {
                    @Override
                    public void visitLineNumber(int line, Label start) {
                        lines.add(line);
                    }

                    @Override
                    public void visitMethodInsn(int opcode, String owner, String n, String d, boolean itf) {
                        calls.add(new String[] {owner, n, d});
                    }

                    @Override
                    public void visitFieldInsn(int opcode, String owner, String n, String d) {
                        if (opcode == Opcodes.GETFIELD || opcode == Opcodes.GETSTATIC) {
                            reads.add(new String[] {owner, n});
                        }
                    }

                    @Override
                    public void visitInsn(int opcode) {
                        if (opcode == Opcodes.MONITORENTER) {
                            monitors[0]++;
                        }
                    }

                    @Override
                    public void visitEnd() {
                        shapes.put(name + descriptor, new Shape(name, descriptor, lines, calls, monitors[0], reads));
                    }
                };
            }
        }, ClassReader.SKIP_FRAMES);
        return new MethodShapes(reader.getClassName().replace('/', '.'), shapes);
    }

    /** The methods of this name whose descriptor starts with {@code descriptor}. */
    List<Shape> methods(String name, String descriptor) {
        List<Shape> found = new ArrayList<>();
        for (Shape s : byKey.values()) {
            if (s.name.equals(name) && s.descriptor.startsWith(descriptor)) {
                found.add(s);
            }
        }
        return found;
    }

    /**
     * Why {@code spec} names nothing in this class (no such method, or no such position in any
     * method it names), or null when it names something. One line, naming what exists instead.
     */
    String problem(PointDeclaration spec) {
        List<Shape> methods = methods(spec.methodName(), spec.descriptor());
        if (methods.isEmpty()) {
            TreeSet<String> names = new TreeSet<>();
            byKey.values().stream().filter(s -> !s.name.startsWith("<")).forEach(s -> names.add(s.name));
            List<Shape> sameName = methods(spec.methodName(), "");
            return className + " has no method " + spec.methodName() + spec.descriptor() + "; "
                    + (sameName.isEmpty() ? "its methods are " + String.join(", ", names)
                    : "its " + spec.methodName() + " methods are " + String.join(", ",
                    sameName.stream().map(s -> s.name + s.descriptor).toList()));
        }
        String problem = null;
        for (Shape method : methods) {
            String p = problem(method, spec.position());
            if (p == null) {
                return null;
            }
            problem = problem == null ? p : problem;
        }
        return problem;
    }

    /** Why {@code position} does not exist in {@code method}, naming what does; null when it exists. */
    String problem(Shape method, Position position) {
        String where = className + "." + method.name + method.descriptor;
        switch (position.kind()) {
            case ENTRY, EXIT:
                return null;
            case LINE:
                if (method.lines.contains(position.line())) {
                    return null;
                }
                return method.lines.isEmpty()
                        ? where + " has no line numbers (its class was compiled without them): use entry,"
                        + " exit, before=CALLEE or after=CALLEE"
                        : where + " has no line " + position.line() + "; its lines are " + ranges(method.lines);
            case BEFORE_SYNC, AFTER_SYNC: {
                int wanted = Math.max(position.ordinal(), 1);
                if (method.monitors >= wanted) {
                    return null;
                }
                return where + (method.monitors == 0 ? " has no synchronized block"
                        + " (a synchronized method takes its monitor before entry: use entry)"
                        : " has " + method.monitors + " synchronized block" + (method.monitors == 1 ? "" : "s"));
            }
            case BEFORE_FIELD, AFTER_FIELD: {
                long count = method.reads.stream().filter(r -> position.matchesField(r[0], r[1])).count();
                if (count >= Math.max(position.ordinal(), 1)) {
                    return null;
                }
                String field = (position.owner().isEmpty() ? "" : position.owner() + ".") + position.callee();
                return where + (count == 0 ? " does not read " + field + "; the fields it reads are " + reads(method)
                        : " reads " + field + " " + count + " time" + (count == 1 ? "" : "s"));
            }
            default: {
                long count = method.calls.stream().filter(c -> position.matchesCall(c[0], c[1], c[2])).count();
                if (count >= Math.max(position.ordinal(), 1)) {
                    return null;
                }
                String callee = (position.owner().isEmpty() ? "" : position.owner() + ".") + position.callee()
                        + position.descriptor();
                return where + (count == 0 ? " does not call " + callee + "; its calls are " + calls(method)
                        : " calls " + callee + " " + count + " time" + (count == 1 ? "" : "s"));
            }
        }
    }

    /** {@code 12-15, 18, 20-22}. */
    static String ranges(List<Integer> lines) {
        List<String> parts = new ArrayList<>();
        Integer start = null;
        Integer previous = null;
        for (int line : new TreeSet<>(lines)) {
            if (previous != null && line == previous + 1) {
                previous = line;
                continue;
            }
            if (start != null) {
                parts.add(start.equals(previous) ? "" + start : start + "-" + previous);
            }
            start = line;
            previous = line;
        }
        if (start != null) {
            parts.add(start.equals(previous) ? "" + start : start + "-" + previous);
        }
        return String.join(", ", parts);
    }

    /** {@code Pool.count, Pool.state (2x)}, in the order of the method's code. */
    private static String reads(Shape method) {
        return counted(method.reads);
    }

    /** {@code Pool.lock, java.util.List.add (2x)}, in the order of the method's code. */
    private static String calls(Shape method) {
        return counted(method.calls);
    }

    /** Owner (simple unless the JDK's) and name of each {@code {owner, name, ...}}, counted. */
    private static String counted(List<String[]> members) {
        if (members.isEmpty()) {
            return "none";
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String[] c : members) {
            String owner = c[0].replace('/', '.');
            String simple = owner.startsWith("java.") ? owner : owner.substring(owner.lastIndexOf('.') + 1);
            counts.merge(simple + "." + c[1], 1, Integer::sum);
        }
        List<String> parts = new ArrayList<>();
        counts.forEach((callee, n) -> parts.add(n == 1 ? callee : callee + " (" + n + "x)"));
        return String.join(", ", parts);
    }
}
