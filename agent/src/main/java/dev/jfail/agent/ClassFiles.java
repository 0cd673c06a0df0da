package dev.jfail.agent;

import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.Opcodes;

/** Reading class files with ASM (ByteBuddy's copy, without the rest of ByteBuddy: it starts faster). */
final class ClassFiles {

    /** The ASM API level every visitor of the agent uses. */
    static final int ASM_API = Opcodes.ASM9;
    /** The newest class file version this ASM reads; a newer one is read as this (its version is written back as it was). */
    private static final int NEWEST_KNOWN = Opcodes.V25 & 0xFFFF;

    private ClassFiles() {
    }

    static ClassReader reader(byte[] classFile) {
        try {
            return new ClassReader(classFile);
        } catch (IllegalArgumentException newer) {
            if (ClassFileScan.majorVersion(classFile) <= NEWEST_KNOWN) {
                throw newer;
            }
            byte[] patched = classFile.clone();
            patched[4] = 0;
            patched[5] = 0;
            patched[6] = (byte) (NEWEST_KNOWN >>> 8);
            patched[7] = (byte) NEWEST_KNOWN;
            return new ClassReader(patched);
        }
    }

    /** The class file's version as {@code ClassVisitor.visit} takes it: minor in the high half, major in the low. */
    static int version(byte[] classFile) {
        return ((classFile[4] & 0xFF) << 24) | ((classFile[5] & 0xFF) << 16) | ClassFileScan.majorVersion(classFile);
    }
}
