package dev.jfail.spock

import groovy.transform.CompileStatic

/** A feature passed, but some of its failpoints never fired: it never reached the window it was written for. */
@CompileStatic
class FailPointsNeverFired extends AssertionError {

    private static final long serialVersionUID = 1L

    FailPointsNeverFired(List<String> quiet) {
        super("failpoints never fired: ${quiet.join(', ')}; the feature never reached its window and proved nothing " +
                '(mark it @dev.jfail.spock.FiringOptional if that is expected)' as Object)
    }
}
