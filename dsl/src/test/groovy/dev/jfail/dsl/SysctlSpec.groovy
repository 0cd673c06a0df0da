package dev.jfail.dsl

import dev.jfail.FailPointStatus
import dev.jfail.FailPointSyntaxException
import spock.lang.Specification

/** Settings in FreeBSD's own words: {@code debug.fail_point.NAME} and {@code sysctl}. */
class SysctlSpec extends Specification implements FailPointDsl {

    def "a setting is assigned and read back as with sysctl"() {
        when:
        debug.fail_point.unlock_and_deallocate_relock = '50%sleep(10)'

        then:
        debug.fail_point.unlock_and_deallocate_relock == '50%sleep(10)'
    }

    def "reading back gives FreeBSD's canonical form, and off for a point never set"() {
        when:
        debug.fail_point.dsl_canonical = '150%return(0x10)'

        then:
        debug.fail_point.dsl_canonical == 'return(16)'
        debug.fail_point.dsl_never_set == 'off'
    }

    def "a computed name works with brackets"() {
        given:
        String name = 'dsl_' + 'computed'

        when:
        debug.fail_point[name] = '5*return(22)->off'

        then:
        debug.fail_point[name] == '5*return(22)'
        debug.fail_point.dsl_computed == '5*return(22)'
    }

    def "a malformed setting is refused with its position and the point keeps its setting"() {
        given:
        debug.fail_point.dsl_kept = 'yield'

        when:
        debug.fail_point.dsl_kept = '50%slep(10)'

        then:
        FailPointSyntaxException e = thrown()
        e.message.contains('column 4')
        debug.fail_point.dsl_kept == 'yield'
    }

    def "status_NAME gives FreeBSD's status node: counters and held threads"() {
        given:
        debug.fail_point.dsl_counted = '2*return(1)'
        3.times { SimulatedEntry.reach('dsl_counted') }

        expect:
        FailPointStatus status = debug.fail_point.status_dsl_counted
        status.evaluations() == 2       // the third arrival found the point off: not evaluated
        status.fired('return') == 2
        status.setting() == 'off'
    }

    def "sysctl sets with the sysctl prefix and answers with the read-back"() {
        expect:
        sysctl('debug.fail_point.vmob_scan_rename_unlock=20%return(1)') == '20%return(1)'
        sysctl('debug.fail_point.vmob_scan_rename_unlock') == '20%return(1)'
        debug.fail_point.vmob_scan_rename_unlock == '20%return(1)'
    }

    def "sysctl takes the name without its prefix, and a value quoted as for a shell"() {
        when:
        sysctl "dsl_quoted='50%sleep(10)'"

        then:
        sysctl('dsl_quoted') == '50%sleep(10)'
    }

    def "sysctl with several arguments sets all of them or none"() {
        when:
        def answer = sysctl 'debug.fail_point.dsl_a=yield', 'debug.fail_point.dsl_b=2*return(5)'

        then:
        answer == [dsl_a: 'yield', dsl_b: '2*return(5)']

        when:
        sysctl 'debug.fail_point.dsl_a=off', 'debug.fail_point.dsl_b=retrun(1)'

        then:
        thrown(IllegalArgumentException)
        debug.fail_point.dsl_a == 'yield'
        debug.fail_point.dsl_b == '2*return(5)'
    }

    def "sysctl debug.fail_point lists every point"() {
        given:
        sysctl 'debug.fail_point.dsl_listed=yield'

        expect:
        (sysctl('debug.fail_point') as Map)['dsl_listed'] == 'yield'
    }

    def "an assignment without a setting is refused"() {
        when:
        debug.fail_point.dsl_nothing = null

        then:
        IllegalArgumentException e = thrown()
        e.message.contains("'off' turns a point off")
    }

    def "only debug.fail_point lives under debug"() {
        when:
        debug.kdb.enter

        then:
        MissingPropertyException e = thrown()
        e.message.contains('only debug.fail_point.NAME is')
    }
}
