package dev.jfail.dsl

import dev.jfail.FailPoint
import groovy.transform.CompileStatic

/** A JVM for JvmScopeSpec: crosses {@code dsl_tick} every 10 ms and prints what it returned when that changes. */
@CompileStatic
class Ticking {

    @FailPoint('dsl_tick')
    static int tick() {
        1
    }

    static void main(String[] args) {
        int last = 0
        long deadline = System.nanoTime() + 300_000_000_000L
        while (System.nanoTime() < deadline) {
            int now = tick()
            if (now != last) {
                println "tick=$now"
                last = now
            }
            Thread.sleep(10)
        }
    }
}
