package dev.jfail.spock

import java.util.concurrent.ConcurrentHashMap

/** What inner specs saw while they ran, for the outer spec to check. */
class Observed {
    static final Map<String, Object> values = new ConcurrentHashMap<>()

    static void clear() {
        values.clear()
    }

    static void put(String key, Object value) {
        values[key] = value
    }
}
