package dev.jfail.tooling;

import dev.jfail.bootstrap.Bootstrap;
import dev.jfail.bootstrap.SlowPath;
import net.bytebuddy.jar.asm.Handle;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

import java.lang.invoke.CallSite;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The failpoint check put in front of a method's own code, kept as
 * small as bytecode allows so that the JIT's size-based inlining treats the method as before:
 *
 * <pre>
 * void m()  { if (invokedynamic failpoint()Z) return; ...body }                    // 10 bytes more
 * int m()   { Object v = invokedynamic failpoint()Object;                          // 17 bytes more
 *             if (v != null) return ((Integer) v).intValue(); ...body }
 * </pre>
 *
 * The call site is linked by {@link Bootstrap#failpoint} to a guard on the point's
 * {@code armedGuard()}: while the point is off it is a constant false / null that the JIT folds
 * away with the branch; once armed it evaluates the point ({@link SlowPath}). Class files before Java 7
 * reach the same target through a {@code static final MethodHandle} ({@link LegacyChecks}).
 */
public final class GuardPrologue {

    static final Handle BOOTSTRAP = new Handle(Opcodes.H_INVOKESTATIC, Type.getInternalName(Bootstrap.class),
            "failpoint", MethodType.methodType(CallSite.class, MethodHandles.Lookup.class, String.class,
            MethodType.class, int.class).toMethodDescriptorString(), false);

    /** Primitive return type to its box and unboxing method. */
    private static final Map<String, String[]> UNBOX = Map.of(
            "int", new String[] {"java/lang/Integer", "intValue"},
            "long", new String[] {"java/lang/Long", "longValue"},
            "short", new String[] {"java/lang/Short", "shortValue"},
            "byte", new String[] {"java/lang/Byte", "byteValue"},
            "char", new String[] {"java/lang/Character", "charValue"},
            "boolean", new String[] {"java/lang/Boolean", "booleanValue"},
            "float", new String[] {"java/lang/Float", "floatValue"},
            "double", new String[] {"java/lang/Double", "doubleValue"});

    private final int site;
    private final boolean indy;
    private final boolean frames;

    /**
     * @param indy   whether the class file may use invokedynamic (Java 7 on); else the same check
     *               goes through {@link LegacyChecks}
     * @param frames whether it carries stack map frames (Java 6 on)
     */
    GuardPrologue(int site, boolean indy, boolean frames) {
        this.site = site;
        this.indy = indy;
        this.frames = frames;
    }

    private void check(MethodVisitor mv, String descriptor) {
        if (indy) {
            mv.visitInvokeDynamicInsn("failpoint", descriptor, BOOTSTRAP, site);
        } else {
            LegacyChecks.call(mv, site, "failpoint", descriptor);
        }
    }

    private void frame(MethodVisitor mv, Object[] locals, Object[] stack) {
        if (frames) {
            mv.visitFrame(Opcodes.F_NEW, locals.length, locals, stack.length, stack);
        }
    }

    /** {@code visitor} with the check in front of the code of the method {@code owner.descriptor}. */
    MethodVisitor wrap(MethodVisitor visitor, String owner, int access, String descriptor) {
        return new MethodVisitor(ClassFiles.ASM_API, visitor) {
            private final Label start = new Label();
            private boolean lineGiven;

            @Override
            public void visitCode() {
                super.visitCode();
                mv.visitLabel(start);
                prologue(owner, access, descriptor, mv);
            }

            /** The check takes the method's first line, so a panic's stack names it. */
            @Override
            public void visitLineNumber(int line, Label where) {
                if (!lineGiven) {
                    lineGiven = true;
                    super.visitLineNumber(line, start);
                }
                super.visitLineNumber(line, where);
            }

            @Override
            public void visitMaxs(int maxStack, int maxLocals) {
                super.visitMaxs(Math.max(maxStack, 2), maxLocals);
            }
        };
    }

    private void prologue(String owner, int access, String descriptor, MethodVisitor mv) {
        Type returnType = Type.getReturnType(descriptor);
        Object[] locals = initialLocals(owner, access, descriptor);
        Label body = new Label();
        boolean boxedVoid = returnType.getDescriptor().equals("Ljava/lang/Void;");
        if (returnType.getSort() == Type.VOID || boxedVoid) {
            check(mv, "()Z");
            mv.visitJumpInsn(Opcodes.IFEQ, body);
            if (boxedVoid) {
                mv.visitInsn(Opcodes.ACONST_NULL);
                mv.visitInsn(Opcodes.ARETURN);
            } else {
                mv.visitInsn(Opcodes.RETURN);
            }
            mv.visitLabel(body);
            frame(mv, locals, new Object[0]);
            mv.visitInsn(Opcodes.NOP); // the body's own first frame, if any, must not share this offset
            return;
        }
        check(mv, "()Ljava/lang/Object;");
        mv.visitInsn(Opcodes.DUP);
        mv.visitJumpInsn(Opcodes.IFNULL, body);
        String[] unbox = UNBOX.get(returnType.getClassName());
        if (unbox != null) {
            mv.visitTypeInsn(Opcodes.CHECKCAST, unbox[0]);
            mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, unbox[0], unbox[1], "()" + returnType.getDescriptor(), false);
            mv.visitInsn(returnType.getOpcode(Opcodes.IRETURN));
        } else {
            mv.visitTypeInsn(Opcodes.CHECKCAST, returnType.getInternalName());
            mv.visitInsn(Opcodes.ARETURN);
        }
        mv.visitLabel(body);
        frame(mv, locals, new Object[] {"java/lang/Object"});
        mv.visitInsn(Opcodes.POP);
    }

    /** The frame at a method's entry: {@code this} (unless static) and the parameters. */
    private static Object[] initialLocals(String owner, int access, String descriptor) {
        List<Object> locals = new ArrayList<>();
        if ((access & Opcodes.ACC_STATIC) == 0) {
            locals.add(owner);
        }
        for (Type parameter : Type.getArgumentTypes(descriptor)) {
            locals.add(frameType(parameter));
        }
        return locals.toArray();
    }

    private static Object frameType(Type t) {
        return switch (t.getSort()) {
            case Type.LONG -> Opcodes.LONG;
            case Type.DOUBLE -> Opcodes.DOUBLE;
            case Type.FLOAT -> Opcodes.FLOAT;
            case Type.OBJECT, Type.ARRAY -> t.getInternalName();
            default -> Opcodes.INTEGER; // int, short, byte, char, boolean
        };
    }
}
