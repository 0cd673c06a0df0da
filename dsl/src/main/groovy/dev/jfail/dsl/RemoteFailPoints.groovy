package dev.jfail.dsl

import dev.jfail.FailPointStatus
import dev.jfail.Jvm
import dev.jfail.spi.Names

/** {@code debug.fail_point} of another JVM: every property is a failpoint name. */
final class RemoteFailPoints {
    private final Jvm jvm

    RemoteFailPoints(Jvm jvm) {
        this.jvm = jvm
    }

    def propertyMissing(String name) {
        getAt(name)
    }

    def propertyMissing(String name, value) {
        putAt(name, value)
    }

    def getAt(String name) {
        String bare = Names.canonical(name)
        bare.startsWith('status_') && bare.length() > 7 ? (FailPointStatus) jvm.status(bare.substring(7)) : jvm.get(bare)
    }

    void putAt(String name, value) {
        if (value == null) {
            throw new IllegalArgumentException("debug.fail_point.$name in $jvm: a setting is needed; 'off' turns a point off")
        }
        jvm.set(name, String.valueOf(value).trim())
    }

    @Override
    String toString() {
        "debug.fail_point of $jvm"
    }
}
