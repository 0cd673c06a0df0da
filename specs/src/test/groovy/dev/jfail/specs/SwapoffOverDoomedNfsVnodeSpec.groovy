package dev.jfail.specs

import dev.jfail.kernel.race.RunResult
import dev.jfail.spock.WithFailPoints
import spock.lang.Narrative
import spock.lang.Timeout
import spock.lang.Title

import static dev.jfail.kernel.race.RunResult.Kind.PANIC
import static dev.jfail.kernel.race.RunResult.Kind.SURVIVED

@Title('swapoff at shutdown over a doomed NFS swap vnode (FreeBSD main, then 14-CURRENT, November 2021)')
@Narrative('''
A machine swaps to a file on NFS. At shutdown, with no userland left, init's reboot runs
bufshutdown -> swapoff_all, while the NFS client goes away with the network. What dooms the swap
vnode is the model's own choice (its source does not say): the client's renew thread, at its first
renewal in the shutdown, dismounts by force, reclaiming the vnode (VBAD, VIRF_DOOMED, dead vnode
ops) while swap still holds pages. swapoff_all then pages them in through swapdev_strategy, which
locks the doomed vnode LK_RETRY and starts the I/O: vop_nostrategy fails the buffer, the pagein
fails with error 45 and bufstrategy panics. No fix went upstream; the fixed variant is ours: a
doomed swap vnode fails the I/O with ENXIO, and swapoff_all goes on. The failpoint settings are
the project's own: its source has none.
''')
@Timeout(180)
class SwapoffOverDoomedNfsVnodeSpec extends RaceSpecification {

    String raceId = 'swapoff'

    /** The console of Peter Jeremy's report, in order, up to the panic. */
    static final List<String> SYMPTOM = ['No strategy for buffer at 0x', 'type VBAD', 'VIRF_DOOMED',
                                         'swap_pager: I/O error - pagein failed; blkno ', 'error 45',
                                         'panic: VOP_STRATEGY failed bp=0x']

    /** The report's trace, in ddb's form, less db_trace_self's frames and the arm64 syscall entry, which the model has not. */
    static final List<String> REPORT_TRACE = ['KDB: stack backtrace:', '\nvpanic() at vpanic', '\npanic() at panic',
                                              '\nbufstrategy() at bufstrategy', '\nswapdev_strategy() at swapdev_strategy',
                                              '\nswap_pager_getpages_locked() at', '\nswapoff_one() at', '\nswapoff_all() at',
                                              '\nbufshutdown() at', '\nkern_reboot() at', '\nsys_reboot() at',
                                              'KDB: enter: panic', '[ thread pid 1 tid ']

    def "the settings below are the project's own for the two failpoints"() {
        expect:
        race.settings().failpoints() == [swapoff_all_pre: '50%sleep(120)', swapdev_strategy_pre_vn_lock: '25%sleep(2)']
    }

    @WithFailPoints('debug.fail_point.swapoff_all_pre=50%sleep(120)')
    @WithFailPoints('debug.fail_point.swapdev_strategy_pre_vn_lock=25%sleep(2)')
    def "with those settings the buggy shutdown soon pages in through the dead vnode and panics"() {
        when:
        RunResult run = firstRunShowing('buggy', 'panic: VOP_STRATEGY failed') { RunResult r ->
            r.kind() == PANIC && r.report().contains('panic: VOP_STRATEGY failed')
        }

        then: 'the console reads as Peter Jeremy\'s did'
        inOrder(run.report(), SYMPTOM)
        inOrder(run.report(), REPORT_TRACE)

        and: 'no frame the report\'s trace does not have'
        !run.report().contains('kassert_panic') && !run.report().contains('swp_pager_strategy')
    }

    @WithFailPoints('debug.fail_point.swapoff_all_pre=50%sleep(120)')
    @WithFailPoints('debug.fail_point.swapdev_strategy_pre_vn_lock=25%sleep(2)')
    def "with the same settings the fixed shutdown always completes and keeps every page"() {
        expect:
        failedRuns('fixed', SURVIVAL_RUNS).empty
    }

    /**
     * The interleaving of the forced features, the one Peter Jeremy's machine met: init swaps off
     * only once the NFS client has dismounted and reclaimed the swap file's vnode. The run's result.
     */
    private RunResult swapoffAfterTheDismount(String variant) {
        // init stops at the top of swapoff_all
        def swapoff = holdAt('swapoff_all_pre')

        // the machine reboots; the NFS client goes away with the network
        def run = startRun(variant)
        swapoff.awaitHeld()

        // the renew thread has dismounted by force: the swap vnode is doomed
        awaitWorkloadStarted(run)
        thread('nfscl').awaitExited()

        // swapoff goes on
        swapoff.release()
        run.await()
    }

    def "forced to swap off only once the NFS client has reclaimed the vnode, the buggy shutdown panics, every time"() {
        when: 'init stops at the top of swapoff_all until the NFS client has doomed the swap vnode, then swapoff goes on'
        def result = swapoffAfterTheDismount('buggy')

        then: 'the page-in meets vop_nostrategy and bufstrategy panics'
        with(result) {
            kind() == PANIC
            inOrder(report(), SYMPTOM)
        }

        where:
        attempt << (1..5)
    }

    def "forced into the same order, the fixed shutdown gives up the dead device and completes, every time"() {
        when: 'init stops at the top of swapoff_all until the NFS client has doomed the swap vnode, then swapoff goes on'
        def result = swapoffAfterTheDismount('fixed')

        then: 'the page-in fails with ENXIO, swapoff_one says so, and the shutdown completes without loss'
        with(result) {
            kind() == SURVIVED
            report().contains('Cannot remove swap device')
            !report().contains('panic')
        }

        where:
        attempt << (1..5)
    }
}
