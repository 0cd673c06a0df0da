package dev.jfail.tooling;

import dev.jfail.bootstrap.Bootstrap;
import dev.jfail.bootstrap.LegacyGuards;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * Writes the check of a class file before Java 7 ({@link LegacyGuards}): a call through the
 * {@code static final MethodHandle} of a holder class it writes and has defined beside the agent's.
 */
final class LegacyChecks {

    private static final String HANDLE = "java/lang/invoke/MethodHandle";
    private static final String BOOTSTRAP = Bootstrap.class.getName().replace('.', '/');

    private LegacyChecks() {
    }

    /** Emits the check: {@code getstatic HOLDER.CHECK; <move it under the operands>; invokeExact}. */
    static void call(MethodVisitor mv, int site, String name, String descriptor) {
        String holder = LegacyGuards.holderName(site, name);
        LegacyGuards.defineOnce(holder, () -> holderClass(holder, site, name, descriptor));
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
        clinit.visitMethodInsn(Opcodes.INVOKESTATIC, BOOTSTRAP, "legacy",
                "(ILjava/lang/String;Ljava/lang/String;)L" + HANDLE + ";", false);
        clinit.visitFieldInsn(Opcodes.PUTSTATIC, holder, "CHECK", "L" + HANDLE + ";");
        clinit.visitInsn(Opcodes.RETURN);
        clinit.visitMaxs(0, 0);
        clinit.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }
}
