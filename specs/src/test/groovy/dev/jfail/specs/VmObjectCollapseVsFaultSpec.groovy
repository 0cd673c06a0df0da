package dev.jfail.specs

import dev.jfail.dsl.Background
import dev.jfail.Hold
import dev.jfail.kernel.race.RunResult
import dev.jfail.spock.WithFailPoints
import spock.lang.Narrative
import spock.lang.Timeout
import spock.lang.Title

import static dev.jfail.kernel.race.RunResult.Kind.PANIC
import static dev.jfail.kernel.race.RunResult.Kind.SURVIVED

@Title('vm_object_collapse vs vm_fault (FreeBSD D4103, November 2015)')
@Narrative('''
A shell exits; its parent's shadow object P swallows the anonymous object B they shared
(vm_object_collapse, OBSC_COLLAPSE_WAIT scan) while the parent keeps write-faulting.
When vm_page_rename fails the scan drops both locks and restarts. A fault then leaves its
busy, invalid placeholder first_m in P and, finding B dead, unlocks B before relocking P.
The restarted buggy scan takes the placeholder for P's own page and frees B's page, which
the parent still maps: the report's "freeing mapped page" panic. The fixed variant sleeps on the
busy page and tries again from the top, as D4103's summary says the WAIT scan must (r291576, the
commit that did it, is from FreeBSD's later history, not from the report).
''')
@Timeout(180)
class VmObjectCollapseVsFaultSpec extends RaceSpecification {

    String raceId = 'collapse'

    /** The report's symptom: "panic @ time 1446721794.625, thread 0xfffff8004cf09000: freeing mapped page 0xfffff8007e1a2480". */
    static final PANIC_LINE = /(?m)^panic @ time \d+\.\d{3}, thread 0x[0-9a-f]+: freeing mapped page 0x[0-9a-f]+$/

    def "the settings below are cem's, from the review"() {
        expect:
        race.settings().failpoints() == [unlock_and_deallocate_relock: '50%sleep(10)', vmob_scan_rename_unlock: '20%return(1)']
    }

    @WithFailPoints('debug.fail_point.unlock_and_deallocate_relock=50%sleep(10)')
    @WithFailPoints('debug.fail_point.vmob_scan_rename_unlock=20%return(1)')
    def "with cem's settings the buggy collapse soon frees a page the process still maps"() {
        when:
        RunResult run = firstRunShowing('buggy', 'freeing mapped page') { RunResult r ->
            r.kind() == PANIC && r.report().contains(': freeing mapped page 0x')
        }

        then: "the report's panic line, in its format (OneFS's)"
        run.report() =~ PANIC_LINE

        and: "the model's backtrace (the report shows none): the KASSERT of vm_object_backing_scan, on the exiting shell, inside the collapse"
        inOrder(run.report(), ['model:   vm_object_backing_scan (', 'model:   vm_object_collapse (', 'model:   vm_object_deallocate ('])
    }

    @WithFailPoints('debug.fail_point.unlock_and_deallocate_relock=50%sleep(10)')
    @WithFailPoints('debug.fail_point.vmob_scan_rename_unlock=20%return(1)')
    def "with the same settings the fixed collapse never frees a mapped page, nor loses one"() {
        expect:
        failedRuns('fixed', SURVIVAL_RUNS).empty
    }

    /**
     * The start of D4103's interleaving, which the forced features share: the collapse restarts its
     * scan again and again, and the parent's fault, let go once the collapse is under way, leaves
     * its placeholder in P and heads for unlock_and_deallocate's relock window, held there. What
     * follows differs (the buggy collapse panics at once, the fixed one must be watched sleeping
     * and then let go), so the features go on from here: the relock window's hold, and the run.
     */
    private Tuple2<Hold, Background<RunResult>> faultLetGoWhileTheCollapseRestarts(String variant) {
        // every vm_page_rename of the collapse fails: it drops its locks, waits and restarts, again and again
        debug.fail_point.vmob_scan_rename_unlock = 'return(1)'

        // the parent's first fault waits until the collapse is under way
        def fault = holdAt('vm_fault_hold_pre_lock')

        // a fault that meets the dead B stops in unlock_and_deallocate's relock window
        def relock = holdAt('unlock_and_deallocate_relock')

        // the shell exits while its parent faults
        def run = startRun(variant)
        fault.awaitHeld()
        failpoint('vmob_scan_rename_unlock').awaitFired(1)

        // the fault goes on, leaves its placeholder in P and heads for the window, B being dead
        fault.release()
        new Tuple2<>(relock, run)
    }

    def "forced into D4103's interleaving, the buggy collapse frees the page behind the fault's placeholder, every time"() {
        when: 'the shell exits while its parent faults; the collapse keeps restarting its scan, and the fault, let go, leaves its placeholder in P'
        def (relock, run) = faultLetGoWhileTheCollapseRestarts('buggy')

        then: 'the restarted scan takes the busy, invalid placeholder for P\'s page and frees the mapped page of B'
        with(run.await()) {
            kind() == PANIC
            report() =~ PANIC_LINE
        }

        where:
        attempt << (1..5)
    }

    def "forced into the same interleaving, the fixed collapse sleeps on the placeholder and loses nothing, every time"() {
        when: 'the shell exits while its parent faults; the collapse keeps restarting its scan, and the fault, let go, leaves its placeholder in P'
        def (relock, run) = faultLetGoWhileTheCollapseRestarts('fixed')

        and: 'the fault stops in the window'
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
