package dev.jfail.spock

import groovy.transform.CompileStatic

/** A class nobody annotated: its points come from declarations alone. */
@CompileStatic
class PlainBox {
    int value() {
        1
    }
}
