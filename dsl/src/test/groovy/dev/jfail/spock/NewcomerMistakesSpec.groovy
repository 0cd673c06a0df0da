package dev.jfail.spock

import dev.jfail.FailPoints
import org.junit.platform.engine.TestExecutionResult
import org.junit.platform.testkit.engine.EngineTestKit
import spock.lang.Specification
import spock.lang.Timeout
import spock.util.EmbeddedSpecRunner

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass

/** The mistakes a newcomer makes first, each answered in the failure: checked with Spock's EmbeddedSpecRunner. */
@Timeout(120)
class NewcomerMistakesSpec extends Specification {

    EmbeddedSpecRunner runner = new EmbeddedSpecRunner(throwFailure: false)

    def setup() {
        Observed.clear()
        runner.addPackageImport('dev.jfail.spock')
    }

    def cleanup() {
        FailPoints.reset()
    }

    def "a failing feature whose point never fired says so, with the close names, before the seed"() {
        given: 'the class that declares spock_tally_read_done is loaded'
        new Tally(true).increment()

        when:
        def result = runner.runWithImports('''
            class Inner extends Specification {
                @WithFailPoints('spock_taly_read_done=return(1)')
                def "expects the injected failure"() {
                    expect:
                    false
                }
            }
        ''')
        def hints = result.failures[0].exception.suppressed*.message

        then:
        result.failureCount == 1
        hints[0] == 'jfail: failpoints never fired: spock_taly_read_done (never reached; no loaded code declares it' +
                ' (did you mean spock_tally_read_done?)); the failure did not come through them (a misspelt or undeclared point?)'
        hints[1].contains('failed with failpoint seed')
    }

    /** A JUnit 5 test that imported Spock's annotation by mistake. */
    static class JUnitTestWithSpockAnnotations {
        @org.junit.jupiter.api.Test
        @WithFailPoints('spock_tally_read_done=return(1)')
        @Seed(3L)
        void usesTheSpockAnnotations() {
            Observed.put('ran', true)
        }
    }

    def "jfail's Spock annotations on a JUnit 5 test fail it, naming the JUnit import"() {
        when:
        def failed = EngineTestKit.engine('junit-jupiter').selectors(selectClass(JUnitTestWithSpockAnnotations)).execute()
                .testEvents().failed().list()
        def failure = failed[0].getPayload(TestExecutionResult).get().throwable.get()

        then:
        failed.size() == 1
        failure.message == "jfail: 'usesTheSpockAnnotations()' carries @dev.jfail.spock.WithFailPoints, @dev.jfail.spock.Seed," +
                " Spock's annotations, which JUnit 5 ignores: import dev.jfail.junit.WithFailPoints, dev.jfail.junit.Seed instead"
        !Observed.values.containsKey('ran')
    }

    def "a hold feature run against the fixed code ends, naming the blocked thread and the held one"() {
        when:
        def result = runner.runWithImports('''
            class Inner extends Specification {
                @WithFailPoints
                def "second call on the feature's thread"() {
                    given:
                    def tally = new Tally(true)
                    def first = dev.jfail.FailPoints.holdAt('spock_tally_read_done')

                    when:
                    Thread.start('first-caller') { tally.increment() }
                    first.awaitHeld()
                    tally.increment() // waits for the held caller's lock

                    then:
                    tally.count() == 2
                }
            }
        ''')
        def message = result.failures[0].exception.message

        then:
        result.failureCount >= 1
        message.readLines()[0].startsWith("jfail: the test's thread waits for a thread jfail holds, and only the test could release it: \"")
        message.readLines()[0].contains('" is blocked on dev.jfail.spock.Tally@')
        message.readLines()[0].contains(' owned by "first-caller", which jfail holds at spock_tally_read_done; released the holds')
        message.contains('dev.jfail.spock.Tally.readDone(')
    }
}
