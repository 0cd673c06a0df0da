package dev.jfail.dsl

import dev.jfail.Hold
import groovy.transform.CompileStatic

/**
 * The Groovy face of the Java {@link Hold}: {@code hold.heldThreads} as a property, as a spec
 * reads it ({@code pageout.heldThreads == ['pagedaemon']}). Registered as a Groovy extension module.
 */
@CompileStatic
final class HoldExtension {

    private HoldExtension() {
    }

    /** The names of the threads held right now. */
    static List<String> getHeldThreads(Hold self) {
        self.heldThreads()
    }
}
