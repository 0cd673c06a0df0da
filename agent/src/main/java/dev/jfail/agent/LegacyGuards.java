package dev.jfail.agent;

import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.util.HashSet;
import java.util.Set;

/**
 * The failpoint checks of class files too old for invokedynamic (before Java 7), made as cheap as
 * the invokedynamic ones: each site gets a small class of its own beside the agent's,
 * {@code dev.jfail.agent.LegacySite$N}, holding its checks in {@code static final MethodHandle}
 * fields, the very targets {@link Bootstrap} links invokedynamic call sites to. The old class calls
 * {@code getstatic LegacySite$N.AT; invokevirtual MethodHandle.invokeExact()V}: the JIT trusts a
 * static final field as a constant, inlines the handle and folds an off point's guard away.
 * Reference types travel as {@code Object} (the holder cannot see the application's classes).
 */
final class LegacyGuards {

    static final String HANDLE = "java/lang/invoke/MethodHandle";
    private static final String PREFIX = Type.getInternalName(LegacyGuards.class).replace("LegacyGuards", "LegacySite$");
    private static final Set<String> DEFINED = new HashSet<>();

    private LegacyGuards() {
    }

    /** The holder of {@code site}'s check {@code name} of type {@code descriptor}, defined if new; its internal name. */
    static String holder(int site, String name, String descriptor) {
        String holder = PREFIX + site + "$" + name; // a site has one check of each name
        synchronized (DEFINED) {
            if (DEFINED.add(holder)) {
                try {
                    MethodHandles.lookup().defineClass(holderClass(holder, site, name, descriptor));
                } catch (IllegalAccessException | RuntimeException | LinkageError e) {
                    DEFINED.remove(holder);
                    throw new IllegalStateException("cannot define " + holder + ": " + Report.describe(e), e);
                }
            }
        }
        return holder;
    }

    /** Emits the check: {@code getstatic HOLDER.CHECK; <move it under the operands>; invokeExact}. */
    static void call(MethodVisitor mv, int site, String name, String descriptor) {
        String holder = holder(site, name, descriptor);
        mv.visitFieldInsn(Opcodes.GETSTATIC, holder, "CHECK", "L" + HANDLE + ";");
        Type[] arguments = Type.getArgumentTypes(descriptor);
        if (arguments.length == 1) {
            if (arguments[0].getSize() == 2) {
                mv.visitInsn(Opcodes.DUP_X2); // value(2), handle -> handle, value(2), handle
                mv.visitInsn(Opcodes.POP);
            } else {
                mv.visitInsn(Opcodes.SWAP);
            }
        }
        mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, HANDLE, "invokeExact", descriptor, false);
    }

    /** {@code public final class HOLDER { public static final MethodHandle CHECK = Bootstrap.legacy(site, name, descriptor); }} */
    private static byte[] holderClass(String holder, int site, String name, String descriptor) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(Opcodes.V1_8, Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL | Opcodes.ACC_SUPER | Opcodes.ACC_SYNTHETIC,
                holder, null, "java/lang/Object", null);
        cw.visitField(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC | Opcodes.ACC_FINAL, "CHECK", "L" + HANDLE + ";", null, null)
                .visitEnd();
        MethodVisitor clinit = cw.visitMethod(Opcodes.ACC_STATIC, "<clinit>", "()V", null, null);
        clinit.visitCode();
        clinit.visitLdcInsn(site);
        clinit.visitLdcInsn(name);
        clinit.visitLdcInsn(descriptor);
        clinit.visitMethodInsn(Opcodes.INVOKESTATIC, Type.getInternalName(Bootstrap.class), "legacy",
                "(ILjava/lang/String;Ljava/lang/String;)L" + HANDLE + ";", false);
        clinit.visitFieldInsn(Opcodes.PUTSTATIC, holder, "CHECK", "L" + HANDLE + ";");
        clinit.visitInsn(Opcodes.RETURN);
        clinit.visitMaxs(0, 0);
        clinit.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    /** For {@link Bootstrap#legacy}: the handle the check calls. */
    static MethodHandle check(int site, String name, String descriptor) {
        return Bootstrap.failpoint(MethodHandles.lookup(), name,
                java.lang.invoke.MethodType.fromMethodDescriptorString(descriptor, null), site).dynamicInvoker();
    }
}
