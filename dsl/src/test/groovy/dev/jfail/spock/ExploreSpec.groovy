package dev.jfail.spock

import dev.jfail.FailPoints
import spock.lang.Specification
import spock.lang.Timeout
import spock.util.EmbeddedSpecRunner

/** {@link Explore}, checked by running inner specs with Spock's EmbeddedSpecRunner. */
@Timeout(120)
class ExploreSpec extends Specification {

    EmbeddedSpecRunner runner = new EmbeddedSpecRunner(throwFailure: false)

    def setup() {
        runner.addPackageImport('dev.jfail.spock')
    }

    def "a feature with a race fails with the shrunk setting and the annotations that keep it"() {
        when:
        def result = runner.runWithImports('''
            class Inner extends Specification {
                @Explore(budget = '20s', seed = 11L)
                def "two increments make two"() {
                    expect:
                    Tally.twice(false) == 2
                }
            }
        ''')

        then:
        result.failures.size() == 1
        def message = result.failures[0].exception.message
        message.startsWith("jfail explore: 'two increments make two' fails under ")
        // a loaded machine can lose the update in a good share of runs without any failpoint: then that is what it says
        message.contains("    @WithFailPoints('spock_tally_read_done=") || message.contains('fails under no failpoints at all')
        message.contains('first failure after ')
        FailPoints.get('spock_tally_read_done') == 'off'
    }

    def "a feature without a race passes after its budget"() {
        when:
        def result = runner.runWithImports('''
            class Inner extends Specification {
                @Explore(budget = '20s', runs = 60, seed = 11L)
                def "two increments make two"() {
                    expect:
                    Tally.twice(true) == 2
                }
            }
        ''')

        then:
        result.testsSucceededCount == 1
        result.failures.empty
    }
}
