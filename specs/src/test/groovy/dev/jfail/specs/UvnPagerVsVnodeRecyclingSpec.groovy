package dev.jfail.specs

import dev.jfail.kernel.race.RunResult
import dev.jfail.spock.WithFailPoints
import spock.lang.Narrative
import spock.lang.Timeout
import spock.lang.Title

import static dev.jfail.kernel.race.RunResult.Kind.PANIC
import static dev.jfail.kernel.race.RunResult.Kind.SURVIVED

@Title('the uvm vnode pager vs vnode recycling (OpenBSD, November 2022)')
@Narrative('''
cc wrote main.o and exited, ld has main.o open and a.out mapped; both objects hold dirty pages.
The pagedaemon writes them out (uvn_put -> uvn_io, the object lock dropped around VOP_WRITE)
while ld finishes and closes its files: the objects persist, the vnodes go to the free list,
and sh's new files recycle them (getnewvnode -> vgonel -> vclean sets VXLOCK ->
uvm_vnp_terminate -> uvn_flush -> uvn_put). Each attempt of history fails its own way: the
original takes no reference, and the write's ffs_write -> uvm_vnp_uncache takes a vref on the
vnode ld has closed (vref used where vget required); vget(LK_NOWAIT) makes the recycler's own
PGO_SYNCIO flush get 'try again'; the fixed variant skips vget when the vnode is dying, as
Kettenis suggests (uvm_vnode.c 1.132, the commit, is from OpenBSD's later history, not the thread).
The failpoint settings are the project's own: its source (a mailing-list thread) has none.
''')
@Timeout(180)
class UvnPagerVsVnodeRecyclingSpec extends RaceSpecification {

    String raceId = 'uvn'

    def "history: the original code, one attempt, then the fix, in this order"() {
        expect:
        race.variants()*.name() == ['original', 'vget-nowait', 'fixed']
        race.variants()*.fixed() == [false, false, true]
        race.settings().failpoints() == [uvn_io_unlocked: '50%sleep(5)', getnewvnode_pre_vgone: '25%sleep(2)', vclean_post_vxlock: '25%sleep(2)']
    }

    @WithFailPoints('debug.fail_point.uvn_io_unlocked=50%sleep(5)')
    @WithFailPoints('debug.fail_point.getnewvnode_pre_vgone=25%sleep(2)')
    @WithFailPoints('debug.fail_point.vclean_post_vxlock=25%sleep(2)')
    def "with the pageout slowed down, the #variant uvn_put soon panics: #symptom"() {
        when:
        RunResult run = firstRunShowing(variant, symptom) { RunResult r -> r.kind() == PANIC && r.report().startsWith(symptom) }

        then:
        inOrder(run.report(), trace)

        where:
        variant       | symptom                                                            | trace
        'original'    | 'panic: vref used where vget required'                             | PAGEDAEMON_TRACE
        'vget-nowait' | "panic: uvn_flush: PGO_SYNCIO return 'try again' error (impossible)" | RECYCLER_TRACE
    }

    /** The original panic's path, the model's (the thread shows no trace of it): the pagedaemon's pageout, ffs_write's uvm_vnp_uncache, vref. */
    static final List<String> PAGEDAEMON_TRACE = ['model:   vref (', 'model:   uvm_vnp_uncache (', 'model:   ffs_write (',
                                                  'model:   uvn_io (', 'model:   uvn_put (', 'model:   uvm_pager_put (',
                                                  'model:   uvmpd_scan_inactive (']

    /** Miod Vallat's transcribed trace of the vget-nowait panic, frame for frame, as he wrote it (less the offsets). */
    static final List<String> RECYCLER_TRACE = ['\nuvn_flush (', '\nuvm_vnp_terminate (', '\nvclean (', '\nvgonel (',
                                                '\ngetnewvnode (', '\nffs_vget (', '\nffs_inode_alloc (', '\nufs_makeinode (',
                                                '\nufs_create (', '\nVOP_CREATE (', '\nvn_open (', '\ndoopenat (']

    @WithFailPoints('debug.fail_point.uvn_io_unlocked=50%sleep(5)')
    @WithFailPoints('debug.fail_point.getnewvnode_pre_vgone=25%sleep(2)')
    @WithFailPoints('debug.fail_point.vclean_post_vxlock=25%sleep(2)')
    def "with the same settings the fixed uvn_put never panics nor loses a page"() {
        expect:
        failedRuns('fixed', SURVIVAL_RUNS).empty
    }

    def "with the pageout's write held until sh has recycled the vnodes, the #variant uvn_put #outcome, every time"() {
        given: "the pagedaemon's first write stops with the object unlocked"
        def pageout = holdAt('uvn_io_unlocked')

        and: "sh's first getnewvnode (after the two of the build's setup) stops before it recycles a vnode"
        def recycle = holdAt('getnewvnode_pre_vgone', passing: 2)

        when: 'ld finishes while the pagedaemon writes'
        def run = startRun(variant)
        pageout.awaitHeld()

        then: 'it is the pagedaemon that waits in the middle of its write'
        pageout.heldThreads == ['pagedaemon']

        when: 'ld has closed its files and exited, and sh recycles their vnodes'
        recycle.awaitHeld()
        recycle.release()
        thread('sh').awaitExited()

        and: 'the write goes on'
        pageout.release()

        then:
        with(run.await()) {
            kind() == expected
            report().startsWith(symptom)
        }

        where:
        variant       | expected | symptom                                                              | outcome
        'original'    | PANIC    | 'panic: vref used where vget required'                               | "vrefs, in ffs_write, a vnode nobody uses"
        'vget-nowait' | PANIC    | "panic: uvn_flush: PGO_SYNCIO return 'try again' error (impossible)" | "makes the recycler's own flush fail"
        'fixed'       | SURVIVED | ''                                                                   | 'leaves the dying vnode to its recycler'

        combined:
        attempt << (1..3)
    }
}
