package dev.jfail.dsl

import dev.jfail.FailPoints
import dev.jfail.Hold
import dev.jfail.Jvm
import dev.jfail.spi.Names

/**
 * What {@code jvm(pid) { ... }} runs its block against: FreeBSD's words acting in another JVM,
 * through its {@link Jvm} handle.
 * <pre>
 * jvm(follower) {
 *     debug.fail_point.follower_apply = '1*pause'
 *     sysctl 'debug.fail_point.follower_ack=return'
 *     assert debug.fail_point.follower_apply == '1*pause'
 *     def apply = holdAt('follower_apply'); apply.awaitHeld()
 *     awaitFired('follower_ack', 1)
 * }
 * </pre>
 */
final class JvmScope {

    /** The handle the block acts through. */
    final Jvm jvm

    JvmScope(Jvm jvm) {
        this.jvm = jvm
    }

    /** Runs {@code block} with a scope of {@code handle} as its delegate. */
    static <T> T run(Jvm handle, Closure<T> block) {
        Closure<T> c = (Closure<T>) block.clone()
        c.resolveStrategy = Closure.DELEGATE_FIRST
        JvmScope scope = new JvmScope(handle)
        c.delegate = scope
        c.call(scope)
    }

    /** {@code debug.fail_point.NAME}, read and assigned in that JVM. */
    Map<String, Object> getDebug() {
        [fail_point: new RemoteFailPoints(jvm)]
    }

    /** {@code sysctl 'debug.fail_point.NAME=SETTING'} (all or nothing), {@code sysctl 'debug.fail_point.NAME'}, {@code sysctl 'debug.fail_point'}, there. */
    Object sysctl(String first, String... more) {
        List<String> args = [first] + (more as List<String>)
        if (args.size() == 1 && args[0]?.trim() == 'debug.fail_point') {
            return jvm.list()
        }
        Map<String, String> settings = [:]
        args.findAll { it.contains('=') }.each { String arg ->
            Map.Entry<String, String> a = SysctlCommand.assignmentOf(arg)
            settings.remove(a.key)
            settings.put(a.key, a.value)
        }
        if (settings) {
            jvm.setAll(FailPoints.listOf(settings))
        }
        Map<String, String> readBack = args.collectEntries { String arg ->
            String name = Names.canonical((arg.contains('=') ? arg.substring(0, arg.indexOf('=')) : arg).trim())
            [(name): jvm.get(name)]
        }
        args.size() == 1 ? readBack.values().first() : readBack
    }

    /** Holds the next {@code threads} threads that reach the point there. */
    Hold holdAt(String name, int threads = 1) {
        jvm.holdAt(name, threads)
    }

    /** Waits (bounded, there) until some action of the point fired {@code times} times. */
    void awaitFired(String name, long times = 1) {
        jvm.awaitFired(name, times)
    }

    /** How many times a thread reached the point there. */
    long hits(String name) {
        jvm.status(name).evaluations()
    }

    /** How many times any action of the point fired there. */
    long fired(String name) {
        jvm.status(name).totalFired()
    }

    /** Every point off there, counters cleared, held threads released. */
    void reset() {
        jvm.reset()
    }
}
