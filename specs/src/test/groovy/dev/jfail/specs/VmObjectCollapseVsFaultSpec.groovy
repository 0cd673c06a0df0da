package dev.jfail.specs

import dev.jfail.kernel.race.RunResult
import dev.jfail.spock.Sysctl
import spock.lang.Narrative
import spock.lang.Timeout
import spock.lang.Title

import static dev.jfail.kernel.race.RunResult.Kind.PANIC
import static dev.jfail.kernel.race.RunResult.Kind.SURVIVED

@Title('vm_object_collapse vs vm_fault (FreeBSD D4103, fixed in r291576)')
@Narrative('''
A shell exits; its parent's shadow object P swallows the anonymous object B they shared
(vm_object_collapse, OBSC_COLLAPSE_WAIT scan) while the parent keeps write-faulting.
When vm_page_rename fails the scan drops both locks and restarts. A fault then leaves its
busy, invalid placeholder first_m in P and, finding B dead, unlocks B before relocking P.
The restarted buggy scan takes the placeholder for P's own page and frees B's page, which
the parent still maps: panic: freeing mapped page. r291576 sleeps on the busy page instead.
''')
@Timeout(180)
class VmObjectCollapseVsFaultSpec extends RaceSpecification {

    String raceId = 'collapse'

    def "the settings below are cem's, from the review"() {
        expect:
        race.seedFailpoints() == [unlock_and_deallocate_relock: '50%sleep(10)', vmob_scan_rename_unlock: '20%return(1)']
    }

    @Sysctl('debug.fail_point.unlock_and_deallocate_relock=50%sleep(10)')
    @Sysctl('debug.fail_point.vmob_scan_rename_unlock=20%return(1)')
    def "with cem's settings the buggy collapse soon frees a page the process still maps"() {
        when:
        RunResult run = firstRunShowing('buggy', 'panic: freeing mapped page') { RunResult r ->
            r.kind() == PANIC && r.report().contains('panic: freeing mapped page 0x')
        }

        then: 'the KASSERT of vm_object_backing_scan, on the exiting shell, inside the collapse'
        run.report() =~ /(?m)^panic: freeing mapped page 0x[0-9a-f]+$/
        inOrder(run.report(), ['vm_object_backing_scan() at', 'vm_object_collapse() at', 'vm_object_deallocate() at'])
    }

    @Sysctl('debug.fail_point.unlock_and_deallocate_relock=50%sleep(10)')
    @Sysctl('debug.fail_point.vmob_scan_rename_unlock=20%return(1)')
    def "with the same settings the fixed collapse never frees a mapped page, nor loses one"() {
        expect:
        failedRuns('fixed', SURVIVAL_RUNS).empty
    }

    def "forced into D4103's interleaving, the buggy collapse frees the page behind the fault's placeholder, every time"() {
        given: 'every vm_page_rename of the collapse fails: it drops its locks, waits and restarts, again and again'
        debug.fail_point.vmob_scan_rename_unlock = 'return(1)'

        and: "the parent's first fault waits until the collapse is under way"
        def fault = holdAt('vm_fault_hold_pre_lock')

        and: "a fault that meets the dead B stops in unlock_and_deallocate's relock window"
        holdAt('unlock_and_deallocate_relock')

        when: 'the shell exits while its parent faults'
        def run = startRun('buggy')
        fault.awaitHeld()
        failpoint('vmob_scan_rename_unlock').awaitFired(1)

        and: 'the fault goes on, leaves its placeholder in P and stops in the window, B being dead'
        fault.release()

        then: 'the restarted scan takes the busy, invalid placeholder for P\'s page and frees the mapped page of B'
        with(run.await()) {
            kind() == PANIC
            report() =~ /(?m)^panic: freeing mapped page 0x[0-9a-f]+$/
        }

        where:
        attempt << (1..5)
    }

    def "forced into the same interleaving, the fixed collapse sleeps on the placeholder and loses nothing, every time"() {
        given: 'every vm_page_rename of the collapse fails: it drops its locks, waits and restarts, again and again'
        debug.fail_point.vmob_scan_rename_unlock = 'return(1)'

        and: "the parent's first fault waits until the collapse is under way"
        def fault = holdAt('vm_fault_hold_pre_lock')

        and: "a fault that meets the dead B stops in unlock_and_deallocate's relock window"
        def relock = holdAt('unlock_and_deallocate_relock')

        when: 'the shell exits while its parent faults'
        def run = startRun('fixed')
        fault.awaitHeld()
        failpoint('vmob_scan_rename_unlock').awaitFired(1)

        and: 'the fault leaves its placeholder in P and stops in the window'
        fault.release()
        relock.awaitHeld()

        then: 'the restarted scan finds the placeholder busy and sleeps on it (vm_object_backing_scan_wait)'
        thread('sh').awaitWaitingIn('vm_object_backing_scan_wait')

        when: 'memory comes back, so renames succeed, and the fault goes on to free its placeholder'
        debug.fail_point.vmob_scan_rename_unlock = 'off'
        relock.release()

        then: 'the collapse completes and every page of the parent is intact'
        with(run.await()) {
            kind() == SURVIVED
        }

        where:
        attempt << (1..5)
    }
}
