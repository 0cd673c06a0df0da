package dev.jfail.tooling;

import java.nio.charset.StandardCharsets;

/**
 * Looks at a class file's bytes, without parsing it with ByteBuddy, to decide whether it can carry
 * an {@code @FailPoint}: the annotation's descriptor must be one of its constant-pool strings.
 * This is what keeps a JVM with the agent and no failpoints as fast to start as one without.
 */
public final class ClassFileScan {

    private static final byte[] ANNOTATION = "Ldev/jfail/FailPoint;".getBytes(StandardCharsets.US_ASCII);
    private static final int MAGIC = 0xCAFEBABE;

    private ClassFileScan() {
    }

    /** Whether the constant pool names {@code dev.jfail.FailPoint} as a descriptor. */
    static boolean mentionsFailPoint(byte[] bytes) {
        try {
            if (bytes.length < 10 || u4(bytes, 0) != MAGIC) {
                return false;
            }
            int count = u2(bytes, 8);
            int at = 10;
            for (int index = 1; index < count; index++) {
                int tag = bytes[at] & 0xFF;
                switch (tag) {
                    case 1 -> { // Utf8
                        int length = u2(bytes, at + 1);
                        if (length == ANNOTATION.length && matches(bytes, at + 3)) {
                            return true;
                        }
                        at += 3 + length;
                    }
                    case 3, 4 -> at += 5;                       // Integer, Float
                    case 5, 6 -> { at += 9; index++; }          // Long, Double take two slots
                    case 7, 8, 16, 19, 20 -> at += 3;           // Class, String, MethodType, Module, Package
                    case 9, 10, 11, 12, 17, 18 -> at += 5;      // refs, NameAndType, Dynamic, InvokeDynamic
                    case 15 -> at += 4;                         // MethodHandle
                    default -> {
                        return containsAnywhere(bytes);         // a newer format: fall back to a plain search
                    }
                }
            }
            return false;
        } catch (ArrayIndexOutOfBoundsException malformed) {
            return false; // the JVM will refuse it anyway; not ours to report
        }
    }

    /** The class file's major version (52 = Java 8, 61 = Java 17). */
    static int majorVersion(byte[] bytes) {
        return bytes.length < 8 ? 0 : u2(bytes, 6);
    }

    private static boolean matches(byte[] bytes, int from) {
        for (int i = 0; i < ANNOTATION.length; i++) {
            if (bytes[from + i] != ANNOTATION[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean containsAnywhere(byte[] bytes) {
        for (int from = 0; from + ANNOTATION.length <= bytes.length; from++) {
            if (matches(bytes, from)) {
                return true;
            }
        }
        return false;
    }

    private static int u2(byte[] bytes, int at) {
        return ((bytes[at] & 0xFF) << 8) | (bytes[at + 1] & 0xFF);
    }

    private static int u4(byte[] bytes, int at) {
        return (u2(bytes, at) << 16) | u2(bytes, at + 2);
    }
}
