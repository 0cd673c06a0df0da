package dev.jfail.tooling;

import dev.jfail.core.FailPointRegistry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;

/**
 * A test's view of the agent without a JVM agent: class files run through {@link FailPointTransformer}
 * and defined in a class loader of their own, against a registry of their own.
 */
public final class TestAgent {

    final FailPointRegistry registry = new FailPointRegistry(1L);
    final PointCatalog catalog = new PointCatalog();
    final FailPointTransformer transformer =
            new FailPointTransformer(catalog, new OnFirstUse<>(() -> new Instrumenter(null, registry)));

    /** The class file of a class on the test class path. */
    static byte[] classFile(String className) {
        try (InputStream in = TestAgent.class.getClassLoader()
                .getResourceAsStream(className.replace('.', '/') + ".class")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The transformer's answer for {@code bytes}: the new class file, or null for untouched. */
    byte[] transform(ClassLoader loader, String className, byte[] bytes) {
        return transformer.transform(null, loader, className.replace('.', '/'), null, null, bytes);
    }

    /** {@code className} transformed and loaded in a fresh loader (the original bytes if untouched). */
    Class<?> load(String className) {
        return load(className, classFile(className));
    }

    Class<?> load(String className, byte[] original) {
        OwnLoader loader = new OwnLoader();
        byte[] transformed = transform(loader, className, original);
        return loader.define(className, transformed != null ? transformed : original);
    }

    static Object call(Class<?> type, String method, Object... args) throws Throwable {
        for (Method m : type.getDeclaredMethods()) {
            if (m.getName().equals(method) && m.getParameterCount() == args.length && fits(m, args)) {
                try {
                    return m.invoke(java.lang.reflect.Modifier.isStatic(m.getModifiers())
                            ? null : type.getDeclaredConstructor().newInstance(), args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            }
        }
        throw new NoSuchMethodException(method);
    }

    private static boolean fits(Method m, Object[] args) {
        for (int i = 0; i < args.length; i++) {
            Class<?> p = m.getParameterTypes()[i];
            Class<?> wanted = p.isPrimitive() ? java.lang.invoke.MethodType.methodType(p).wrap().returnType() : p;
            if (!wanted.isInstance(args[i])) {
                return false;
            }
        }
        return true;
    }

    /** What {@code body} printed on stderr. */
    public static String stderrOf(Runnable body) {
        PrintStream saved = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setErr(saved);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    /** Child-first for the classes it is given, parent-first for everything else. */
    static final class OwnLoader extends ClassLoader {
        OwnLoader() {
            super(TestAgent.class.getClassLoader());
        }

        Class<?> define(String name, byte[] bytes) {
            return defineClass(name, bytes, 0, bytes.length);
        }
    }
}
