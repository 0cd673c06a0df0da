package dev.jfail.bootstrap;

import dev.jfail.core.Messages;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The failpoint checks of class files too old for invokedynamic (before Java 7), made as cheap as
 * the invokedynamic ones: each site gets a small class of its own beside the agent's,
 * {@code dev.jfail.bootstrap.LegacySite$N}, holding its checks in {@code static final MethodHandle}
 * fields, the very targets {@link Bootstrap} links invokedynamic call sites to. The old class calls
 * {@code getstatic LegacySite$N.AT; invokevirtual MethodHandle.invokeExact()V}: the JIT trusts a
 * static final field as a constant, inlines the handle and folds an off point's guard away.
 * Reference types travel as {@code Object} (the holder cannot see the application's classes).
 *
 * <p>This side defines the holders in this package and links them; the instrumentation writes
 * their bytes (with ASM, which nothing here loads).
 */
public final class LegacyGuards {

    private static final String PREFIX = LegacyGuards.class.getName().replace('.', '/').replace("LegacyGuards", "LegacySite$");
    private static final Set<String> DEFINED = new HashSet<>();

    private LegacyGuards() {
    }

    /** The internal name of the holder of {@code site}'s check {@code name} (a site has one check of each name). */
    public static String holderName(int site, String name) {
        return PREFIX + site + "$" + name;
    }

    /** Defines {@code holder} in this package from {@code bytes} unless it is defined already. */
    public static void defineOnce(String holder, Supplier<byte[]> bytes) {
        synchronized (DEFINED) {
            if (DEFINED.add(holder)) {
                try {
                    MethodHandles.lookup().defineClass(bytes.get());
                } catch (IllegalAccessException | RuntimeException | LinkageError e) {
                    DEFINED.remove(holder);
                    throw new IllegalStateException("cannot define " + holder + ": " + Messages.oneLine(e), e);
                }
            }
        }
    }

    /** For {@link Bootstrap#legacy}: the handle the check calls. */
    static MethodHandle check(int site, String name, String descriptor) {
        return Bootstrap.failpoint(MethodHandles.lookup(), name,
                java.lang.invoke.MethodType.fromMethodDescriptorString(descriptor, null), site).dynamicInvoker();
    }
}
