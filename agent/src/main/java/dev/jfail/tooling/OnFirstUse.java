package dev.jfail.tooling;

import java.util.function.Supplier;

/** A value made on first use, once, even when several threads ask at the same time. */
public final class OnFirstUse<T> implements Supplier<T> {

    private final Supplier<T> maker;
    private volatile T value;

    public OnFirstUse(Supplier<T> maker) {
        this.maker = maker;
    }

    @Override
    public T get() {
        T v = value;
        if (v == null) {
            synchronized (this) {
                v = value;
                if (v == null) {
                    v = maker.get();
                    value = v;
                }
            }
        }
        return v;
    }
}
