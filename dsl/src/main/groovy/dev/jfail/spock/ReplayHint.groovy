package dev.jfail.spock

import groovy.transform.CompileStatic

/** Rides on a failure as a suppressed exception to carry the seed and how to replay it; has no stack of its own. */
@CompileStatic
class ReplayHint extends RuntimeException {

    private static final long serialVersionUID = 1L

    ReplayHint(String hint) {
        super(hint, null, false, false)
    }
}
