package dev.jfail.spock

import dev.jfail.FailPoints
import spock.lang.Specification
import spock.lang.Timeout
import spock.util.EmbeddedSpecRunner

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
}
