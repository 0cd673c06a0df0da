package dev.jfail.spock

import groovy.transform.CompileStatic

/** A class nobody annotated: its points come from declarations alone. */
@CompileStatic
class PlainBox {
    private int value = 1 // a field it reads: state automatic points care for

    int value() {
        value
    }
}
