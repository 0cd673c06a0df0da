package dev.jfail.bootstrap;

import java.lang.ref.WeakReference;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Every instrumented method, numbered. Instrumented code carries its number as a constant and
 * finds its binding with one array read; a class instrumented again (retransformation) keeps its
 * numbers.
 */
public final class Sites {

    private static final Object LOCK = new Object();
    /** Grown by doubling (auto@ registers thousands of sites); a new slot is published by the volatile write after it. */
    private static volatile SiteBinding[] bindings = new SiteBinding[16];
    private static int count; // guarded by LOCK
    private static final Map<Key, Integer> NUMBERS = new HashMap<>();

    private Sites() {
    }

    /** The number of the site {@code key} identifies, binding it with {@code binding} if it is new. */
    public static int register(ClassLoader loader, String method, String point, SiteBinding binding) {
        synchronized (LOCK) {
            Key key = new Key(System.identityHashCode(loader), new WeakReference<>(loader), method, point);
            Integer known = NUMBERS.get(key);
            if (known != null) {
                return known;
            }
            SiteBinding[] grown = count < bindings.length ? bindings : Arrays.copyOf(bindings, bindings.length * 2);
            grown[count] = binding;
            bindings = grown;
            NUMBERS.put(key, count);
            return count++;
        }
    }

    /** Looks a site up without registering one: the first registration then finds its classes loaded. */
    public static boolean warmUp() {
        synchronized (LOCK) {
            return NUMBERS.containsKey(new Key(0, new WeakReference<>(null), "", ""));
        }
    }

    static SiteBinding get(int site) {
        return bindings[site];
    }

    /**
     * Class loaders compared by identity (two loaders may hold classes of the same name) and held
     * weakly: a discarded loader must not be kept alive by the agent.
     */
    private record Key(int loaderHash, WeakReference<ClassLoader> loader, String method, String point) {
        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Key k) || k.loaderHash != loaderHash || !k.method.equals(method) || !k.point.equals(point)) {
                return false;
            }
            ClassLoader mine = loader.get();
            return mine != null && mine == k.loader.get();
        }

        @Override
        public int hashCode() {
            return 31 * (31 * loaderHash + method.hashCode()) + point.hashCode();
        }
    }
}
