package dev.jfail.spock

import dev.jfail.FailPoints
import spock.lang.Specification
import spock.lang.Stepwise

/** {@code @WithFailPoints(points = ...)}: a spec declares the points of code nobody annotated. */
@Stepwise
class DeclaredPointsSpec extends Specification {

    @WithFailPoints(value = 'spock_plain_box=return(6)', points = 'spock_plain_box@dev.jfail.spock.PlainBox#value')
    def "a feature declares the points its settings then name"() {
        expect:
        new PlainBox().value() == 6
    }

    def "after it the point stays declared, and off"() {
        expect:
        new PlainBox().value() == 1
        FailPoints.status('spock_plain_box').declared()
    }

    @WithFailPoints(value = 'PlainBox.value.exit=return(9)', points = 'auto@dev.jfail.spock.PlainBox')
    def "automatic points, each with its explicit declaration"() {
        expect:
        new PlainBox().value() == 9
        FailPoints.declarationsOf('PlainBox.value.exit') == ['PlainBox.value.exit@dev.jfail.spock.PlainBox#value()I:exit']
    }
}
