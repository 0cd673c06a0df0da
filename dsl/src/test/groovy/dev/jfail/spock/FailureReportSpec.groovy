package dev.jfail.spock

import dev.jfail.core.FailPointRegistry
import spock.lang.Specification
import spock.lang.Timeout
import spock.util.EmbeddedSpecRunner

import java.nio.file.Files
import java.nio.file.Path

/**
 * A failed feature that crossed an armed point gets its timeline and replay file in
 * target/jfail-reports/, named in the failure; {@link Replay} plays it with the recorded decisions.
 */
@Timeout(60)
class FailureReportSpec extends Specification {

    static final Path REPORTS = Path.of('target', 'jfail-reports')

    EmbeddedSpecRunner runner = new EmbeddedSpecRunner(throwFailure: false)

    def setup() {
        Observed.clear()
        runner.addPackageImport('dev.jfail.spock')
        runner.addClassImport(FailPointRegistry)
    }

    def "a failed feature names its timeline, its replay file and how to replay it"() {
        given:
        Path page = REPORTS.resolve('Inner-races.html')
        Files.deleteIfExists(page)

        when:
        def result = runner.runWithImports('''
            class Inner extends Specification {
                @WithFailPoints('spock_report_point=50%return(1)')
                def "races"() {
                    expect:
                    Observed.put('recorded', (1..30).collect { FailPointRegistry.global().point('spock_report_point').evaluate().toString() })
                    false
                }
            }
        ''')
        def hints = result.failures[0].exception.suppressed*.message.join('\\n')

        then:
        result.failureCount == 1
        hints.contains("jfail: timeline of this failure: ${page.toAbsolutePath()}; replay file: "
                + "${REPORTS.resolve('Inner-races.replay').toAbsolutePath()}; to replay it in its recorded order: "
                + '@dev.jfail.spock.Replay("target/jfail-reports/Inner-races.replay")')
        Files.readString(page).contains('spock_report_point')
        Files.readString(REPORTS.resolve('Inner-races.replay')).contains('setting\tspock_report_point=50%return(1)\n')

        when: 'the feature is replayed from its file, under another seed'
        runner.runWithImports('''
            class Inner extends Specification {
                @Replay('target/jfail-reports/Inner-races.replay')
                def "replays"() {
                    setup: dev.jfail.FailPoints.seed(777)
                    expect:
                    Observed.put('replayed', (1..30).collect { FailPointRegistry.global().point('spock_report_point').evaluate().toString() })
                }
            }
        ''')

        then: 'the recorded decisions come back'
        Observed.values.replayed == Observed.values.recorded
        (Observed.values.recorded as List).toSet().size() == 2
    }

    def "a failure that touched no armed point writes nothing"() {
        when:
        def result = runner.runWithImports('''
            class Plain extends Specification {
                @WithFailPoints('spock_unreached=return(1)')
                @FiringOptional
                def "fails"() { expect: false }
            }
        ''')

        then:
        result.failureCount == 1
        !result.failures[0].exception.suppressed*.message.any { it.contains('timeline') }
        !Files.exists(REPORTS.resolve('Plain-fails.html'))
    }

    def "each failing iteration of a data-driven feature keeps its own report"() {
        given:
        (1..2).each { Files.deleteIfExists(REPORTS.resolve("Inner-iterates-${it}.html")) }

        when:
        def result = runner.runWithImports('''
            class Inner extends Specification {
                @WithFailPoints('spock_report_point=return(1)')
                def "iterates"() {
                    expect:
                    FailPointRegistry.global().point('spock_report_point').evaluate() != null
                    n < 0

                    where:
                    n << [1, 2]
                }
            }
        ''')

        then:
        result.failureCount == 2
        (1..2).every { Files.exists(REPORTS.resolve("Inner-iterates-${it}.html")) }
    }
}
