package dev.jfail.dsl

import spock.lang.Specification

/** For those who prefer a base class to a trait: {@code class MySpec extends FailPointSpecification}. */
abstract class FailPointSpecification extends Specification implements FailPointDsl {
}
