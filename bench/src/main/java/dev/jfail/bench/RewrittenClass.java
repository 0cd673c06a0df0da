package dev.jfail.bench;

import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.function.UnaryOperator;

/**
 * Defines one of the benchmark's classes again from its class file, rewritten on the way (renamed,
 * or made an older class-file version), so that a benchmark can set it beside the original.
 */
final class RewrittenClass extends ClassLoader {

    RewrittenClass() {
        super(RewrittenClass.class.getClassLoader());
    }

    /**
     * The class {@code className}'s bytes passed through {@code rewrite} (read with {@code readFlags})
     * and defined as {@code definedName} in this loader.
     */
    Class<?> define(String className, String definedName, UnaryOperator<ClassVisitor> rewrite, int readFlags) {
        byte[] bytes;
        try (InputStream in = getParent().getResourceAsStream(className.replace('.', '/') + ".class")) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ClassWriter writer = new ClassWriter(0);
        new ClassReader(bytes).accept(rewrite.apply(writer), readFlags);
        byte[] rewritten = writer.toByteArray();
        return defineClass(definedName, rewritten, 0, rewritten.length);
    }
}
