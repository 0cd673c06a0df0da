package dev.jfail.spock

import dev.jfail.FailPointSyntaxException
import dev.jfail.core.FailPointRegistry
import dev.jfail.dsl.Background
import spock.lang.Specification
import spock.lang.Timeout
import spock.util.EmbeddedSpecRunner

/** The Spock extension, checked by running inner specs with Spock's EmbeddedSpecRunner. */
@Timeout(60)
class FailPointsExtensionSpec extends Specification {

    EmbeddedSpecRunner runner = new EmbeddedSpecRunner(throwFailure: false)

    def setup() {
        Observed.clear()
        runner.addPackageImport('dev.jfail.spock')
        runner.addPackageImport('dev.jfail.dsl')
        runner.addClassImport(FailPointRegistry)
    }

    def "@WithFailPoints settings hold during the feature and every point is off after it"() {
        when:
        def result = runner.runWithImports('''
            class Inner extends Specification implements FailPointDsl {
                @WithFailPoints('ext_relock=50%sleep(10); debug.fail_point.ext_rename=20%return(1)')
                @FiringOptional('this spec only reads the settings back')
                def "a feature"() {
                    expect:
                    Observed.put('relock', debug.fail_point.ext_relock)
                    Observed.put('rename', debug.fail_point.ext_rename)
                }
            }
        ''')

        then:
        result.testsSucceededCount == 1
        Observed.values == [relock: '50%sleep(10)', rename: '20%return(1)']
        dev.jfail.FailPoints.get('ext_relock') == 'off'
        dev.jfail.FailPoints.get('ext_rename') == 'off'
    }

    def "a spec's settings apply to each feature, and a feature's own come after them"() {
        when:
        def result = runner.runWithImports('''
            @WithFailPoints('ext_shared=yield;ext_overridden=yield')
            @FiringOptional
            class Inner extends Specification implements FailPointDsl {
                def "first"() {
                    expect:
                    Observed.put('first', sysctl('ext_shared', 'ext_overridden'))
                }

                @WithFailPoints('debug.fail_point.ext_overridden=2*return(3)')
                @WithFailPoints('ext_own=panic')
                def "second"() {
                    expect:
                    Observed.put('second', sysctl('ext_shared', 'ext_overridden', 'ext_own'))
                }
            }
        ''')

        then:
        result.testsSucceededCount == 2
        Observed.values.first == [ext_shared: 'yield', ext_overridden: 'yield']
        Observed.values.second == [ext_shared: 'yield', ext_overridden: '2*return(3)', ext_own: 'panic']
    }

    def "a feature whose failpoints never fired fails, saying which and why it matters"() {
        when:
        def result = runner.runWithImports('''
            class Inner extends Specification {
                @WithFailPoints('ext_fired=return(1);ext_never_reached=return(1);ext_reached_not_fired=return(1)[pid 999999999]')
                def "a race spec that missed its window"() {
                    expect:
                    FailPointRegistry.global().point('ext_fired').evaluate()
                    FailPointRegistry.global().point('ext_reached_not_fired').evaluate()
                }
            }
        ''')

        then:
        result.testsFailedCount == 1
        def failure = result.failures[0].exception
        failure instanceof FailPointsNeverFired
        failure.message.startsWith('failpoints never fired: ext_never_reached (never reached; no loaded code declares it), ext_reached_not_fired (reached 1 times; no loaded code declares it);')
        failure.message.contains('proved nothing')
        failure.message.contains('@dev.jfail.spock.FiringOptional')
        !failure.message.contains('ext_fired ')
    }

    def "a point no loaded code declares is named as such, with the declared names closest to it"() {
        given:
        FailPointRegistry.global().point('ext_declared_relock').declare(new dev.jfail.core.Site('Inner.relock()', 'void'))

        when: 'a feature whose body passes: only the never-fired check can fail it'
        def result = runner.runWithImports('''
            class Inner extends Specification {
                @WithFailPoints('ext_declared_relok=return(1)')
                def "a typo"() { expect: true }
            }
        ''')

        then:
        result.testsFailedCount == 1
        result.failures[0].exception.message.startsWith(
                'failpoints never fired: ext_declared_relok (never reached; no loaded code declares it (did you mean ext_declared_relock?));')
    }

    def "@WithFailPoints is repeatable, and each may carry the sysctl prefix"() {
        when:
        def result = runner.runWithImports('''
            @FiringOptional
            class Inner extends Specification implements FailPointDsl {
                @WithFailPoints('debug.fail_point.ext_a=yield')
                @WithFailPoints('ext_b=2*return(3); debug.fail_point.ext_c=pause')
                def "three points"() {
                    expect:
                    Observed.put('set', sysctl('ext_a', 'ext_b', 'ext_c'))
                }
            }
        ''')

        then:
        result.testsSucceededCount == 1
        Observed.values.set == [ext_a: 'yield', ext_b: '2*return(3)', ext_c: 'pause']
    }

    def "a feature whose failpoints all fired passes"() {
        when:
        def result = runner.runWithImports('''
            class Inner extends Specification {
                @WithFailPoints('debug.fail_point.ext_window=3*return(1)')
                def "reaches its window"() {
                    expect:
                    FailPointRegistry.global().point('ext_window').evaluate()
                }
            }
        ''')

        then:
        result.testsSucceededCount == 1
        result.testsFailedCount == 0
    }

    def "@FiringOptional switches the check off for one feature"() {
        when:
        def result = runner.runWithImports('''
            @WithFailPoints('ext_quiet=return(1)')
            class Inner extends Specification {
                @FiringOptional('the point is not on this path')
                def "optional"() { expect: true }

                def "required"() { expect: true }
            }
        ''')

        then:
        result.testsSucceededCount == 1
        result.testsFailedCount == 1
        result.failures[0].exception instanceof FailPointsNeverFired
    }

    def "a failing feature keeps its own failure"() {
        when:
        def result = runner.runWithImports('''
            class Inner extends Specification {
                @WithFailPoints('ext_unreached=return(1)')
                def "fails for its own reason"() { expect: 1 == 2 }
            }
        ''')

        then:
        result.testsFailedCount == 1
        !(result.failures[0].exception instanceof FailPointsNeverFired)
        result.failures[0].exception.message.contains('1 == 2')
    }

    def "a malformed setting fails the feature with the position, before its body runs"() {
        when:
        def result = runner.runWithImports('''
            class Inner extends Specification {
                @WithFailPoints('ext_typo=50%slep(10)')
                def "never runs"() {
                    setup: Observed.put('ran', true)
                    expect: true
                }
            }
        ''')

        then:
        result.testsFailedCount == 1
        def failure = result.failures[0].exception
        failure instanceof FailPointSyntaxException
        failure.message.contains('column 4')
        !Observed.values.ran
    }

    def "after a failed feature every point is reset and a thread paused in one is released"() {
        when:
        def result = runner.runWithImports('''
            class Inner extends Specification implements FailPointDsl {
                def "fails with a thread held"() {
                    given:
                    def held = holdAt('ext_left_paused')
                    Observed.put('thread', background('left behind') { FailPointRegistry.global().point('ext_left_paused').evaluate() })
                    held.awaitHeld()
                    debug.fail_point.ext_left_set = 'yield'

                    expect:
                    false
                }
            }
        ''')

        then:
        result.testsFailedCount == 1
        (Observed.values.thread as Background).await() != null
        dev.jfail.FailPoints.get('ext_left_set') == 'off'
        dev.jfail.FailPoints.status('ext_left_paused').paused().isEmpty()
    }

    def "no feature leaks settings into the next, even without jfail's annotations"() {
        when:
        def result = runner.runWithImports('''
            @Stepwise
            class Inner extends Specification {
                def "sets a point through the facade"() {
                    setup: dev.jfail.FailPoints.set('ext_leak', 'yield')
                    expect: dev.jfail.FailPoints.get('ext_leak') == 'yield'
                }

                def "sees it off"() {
                    expect: Observed.put('next', dev.jfail.FailPoints.get('ext_leak'))
                }
            }
        ''')

        then:
        result.testsSucceededCount == 2
        Observed.values.next == 'off'
    }

    def "under parallel execution a spec that does not use jfail never runs beside one that does, so it cannot reset its points"() {
        given: 'Spock running specs and features in parallel'
        runner.configurationScript = { runner { parallel { enabled true; fixed(4) } } }

        when:
        def result = runner.runWithImports('''
            class UsesJfail extends Specification {
                @WithFailPoints('ext_parallel=return(1)')
                @FiringOptional('it only checks that its setting survives')
                def "a race with its point armed"() {
                    setup:
                    long start = System.nanoTime()

                    expect: 'its point stays armed while it runs, however long the other spec had to run meanwhile'
                    Observed.started.await(2, java.util.concurrent.TimeUnit.SECONDS) || true
                    (1..20).every { Thread.sleep(10); dev.jfail.FailPoints.get('ext_parallel') == 'return(1)' }

                    cleanup:
                    Observed.put('jfail', [start, System.nanoTime()])
                }
            }

            class Unrelated extends Specification {
                def "feature #i"() {
                    setup:
                    long start = System.nanoTime()
                    Observed.started.countDown()
                    Thread.sleep(20)

                    expect:
                    true

                    cleanup:
                    Observed.intervals.add([start, System.nanoTime()])

                    where:
                    i << (1..5)
                }
            }
        ''')

        then: 'both ran and passed'
        result.testsFailedCount == 0
        Observed.values.jfail != null
        Observed.intervals.size() == 5

        and: 'no feature of the unrelated spec ran while the jfail spec did'
        List<Long> jfail = Observed.values.jfail as List<Long>
        Observed.intervals.every { List<Long> other -> other[1] < jfail[0] || other[0] > jfail[1] }
    }

    def "@Seed fixes the seed of a feature's rolls and the run's seed comes back after it"() {
        given:
        long runSeed = dev.jfail.FailPoints.seed()

        when:
        def result = runner.runWithImports('''
            class Inner extends Specification {
                @Seed(4242L)
                def "seeded"() { expect: Observed.put('seed', dev.jfail.FailPoints.seed()) }

                def "unseeded"() { expect: Observed.put('unseeded', dev.jfail.FailPoints.seed()) }
            }
        ''')

        then:
        result.testsSucceededCount == 2
        Observed.values.seed == 4242L
        Observed.values.unseeded == runSeed
        dev.jfail.FailPoints.seed() == runSeed
    }

    def "the same seed gives a feature the same decisions, alone or after others"() {
        when: 'a feature rolls a 50% point a hundred times, once after another feature has rolled too, once alone'
        def source = '''
            @Stepwise
            class Inner extends Specification {
                def "rolls first"() {
                    setup: dev.jfail.FailPoints.set('ext_rolled', '50%return(1)')
                    expect: 37.times { FailPointRegistry.global().point('ext_rolled').evaluate() }
                }

                @WithFailPoints('ext_rolled=50%return(1)')
                def "rolls"() {
                    expect:
                    Observed.put(KEY, (1..100).collect { FailPointRegistry.global().point('ext_rolled').evaluate().toString() })
                }
            }
        '''
        runner.runWithImports(source.replace('KEY', "'after'"))
        runner.runWithImports(source.replace('KEY', "'again'").replace('37.times', '0.times'))

        then:
        Observed.values.after == Observed.values.again
        (Observed.values.after as List).toSet().size() == 2
    }

    def "-Djfail.seed set on the test JVM is the seed of each feature"() {
        given:
        System.setProperty('jfail.seed', '0x2a')

        when:
        def result = runner.runWithImports('''
            class Inner extends Specification implements FailPointDsl {
                def "replayed"() { expect: Observed.put('seed', dev.jfail.FailPoints.seed()) }
            }
        ''')

        then:
        result.testsSucceededCount == 1
        Observed.values.seed == 42L

        cleanup:
        System.clearProperty('jfail.seed')
    }

    def "a malformed -Djfail.seed is ignored with a warning, not a failure"() {
        given:
        System.setProperty('jfail.seed', 'forty-two')
        long before = dev.jfail.FailPoints.seed()

        when:
        def result = runner.runWithImports('''
            class Inner extends Specification implements FailPointDsl {
                def "runs"() { expect: Observed.put('seed', dev.jfail.FailPoints.seed()) }
            }
        ''')

        then:
        result.testsSucceededCount == 1
        Observed.values.seed == before

        cleanup:
        System.clearProperty('jfail.seed')
    }

    def "a failure carries the seed and how to replay it"() {
        when:
        def result = runner.runWithImports('''
            class Inner extends Specification {
                @Seed(77L)
                @FiringOptional
                def "fails"() { expect: false }
            }
        ''')

        then:
        result.testsFailedCount == 1
        def hint = result.failures[0].exception.suppressed.find { it instanceof ReplayHint }
        hint.message == "jfail: 'fails' failed with failpoint seed 77; replay it with -Djfail.seed=77 or @dev.jfail.spock.Seed(77L) on the feature"
    }

    def "a spec that does not use jfail gets no replay hint"() {
        when:
        def result = runner.runWithImports('''
            class Inner extends Specification {
                def "fails"() { expect: false }
            }
        ''')

        then:
        result.testsFailedCount == 1
        result.failures[0].exception.suppressed.every { !(it instanceof ReplayHint) }
    }
}
