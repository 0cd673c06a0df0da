package dev.jfail.spock

import groovy.transform.CompileStatic

/** A feature passed, but some of its failpoints never fired: it never reached the window it was written for. */
@CompileStatic
class FailPointsNeverFired extends AssertionError {

    private static final long serialVersionUID = 1L

    FailPointsNeverFired(String message) {
        super(message as Object)
    }
}
