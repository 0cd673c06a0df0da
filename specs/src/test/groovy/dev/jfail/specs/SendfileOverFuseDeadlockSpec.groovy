package dev.jfail.specs

import dev.jfail.kernel.race.RunResult
import dev.jfail.spock.WithFailPoints
import spock.lang.Narrative
import spock.lang.Timeout
import spock.lang.Title

import static dev.jfail.kernel.race.RunResult.Kind.DEADLOCK
import static dev.jfail.kernel.race.RunResult.Kind.SURVIVED

@Title('sendfile over FUSE deadlocks (FreeBSD bug 246886, comment 70)')
@Narrative('''
nginx sendfiles a file cached from a FUSE mount whose blocks are 64 KiB (16 pages). The
pagedaemon's next pass frees half of the file's first block and ends there: the block stays
partly cached, an invalid page with valid pages after it (the bug report's precondition). When
nginx's sendfile comes after that pass, sendfile_swapin grabs the range exclusive-busy, trims
the valid pages off the end of the run but leaves them busy, and the FUSE pager reads the whole
block (vfs_bio_getpages, bread, getblkx, allocbuf, vfs_vmio_extend, vm_page_grab_pages): it
sleeps on a page it holds itself. The fixed variant unbusies them in the trim loop (r359473, from
FreeBSD's later history, not the report). The real kernel printed nothing: the deadlock is
reported by the model's WITNESS, on model: lines, with nginx's stack in the frames comment 70
shows. The failpoint settings are the project's own: the bug report has none.
''')
@Timeout(180)
class SendfileOverFuseDeadlockSpec extends RaceSpecification {

    String raceId = 'sendfile'

    /**
     * The deadlock as the model's WITNESS reports it (nginx waits for a page it holds itself), then
     * nginx's stack in comment 70's frames, in its order (vfs_vmio_extend and sendfile_swapin inlined there).
     */
    static final List<String> SYMPTOM = ['model: deadlock: thread', '(nginx) sleeps on "grbmaw" for page 0x',
                                         'which it holds exclusive-busy itself', "in the report's frames:",
                                         '\n vm_page_grab_pages (', '\n allocbuf (', '\n getblkx (', '\n breadn_flags (',
                                         '\n vfs_bio_getpages (', '\n fuse_vnop_getpages (', '\n VOP_GETPAGES_APV (',
                                         '\n vop_stdgetpages_async (', '\n VOP_GETPAGES_ASYNC_APV (',
                                         '\n vnode_pager_getpages_async (', '\n vn_sendfile (']

    def "the bug report gives no settings: the project's delay nginx's sendfile past the pagedaemon's pass"() {
        expect:
        race.settings().failpoints() == [sendfile_swapin_pre_grab: '50%sleep(120)', pageout_evict_partial_block: 'off',
                                  sendfile_swapin_pre_getpages: 'off', vfs_bio_getpages_pre_bread: 'off']
    }

    @WithFailPoints('debug.fail_point.sendfile_swapin_pre_grab=50%sleep(120)')
    def "with nginx's sendfile often after the pagedaemon's pass, buggy sendfile soon waits for itself"() {
        when:
        RunResult run = firstRunShowing('buggy', 'nginx waiting for its own busy page') { RunResult r ->
            r.kind() == DEADLOCK && inOrder(r.report(), SYMPTOM)
        }

        then:
        run.report().contains('model: sleep chain:')
        !run.report().contains(' getblk (')
    }

    @WithFailPoints('debug.fail_point.sendfile_swapin_pre_grab=50%sleep(120)')
    def "with the same setting the fixed sendfile always sends the whole file"() {
        expect:
        failedRuns('fixed', SURVIVAL_RUNS).empty
    }

    @WithFailPoints('debug.fail_point.sendfile_swapin_pre_grab=50%sleep(120)')
    def "with blocks of one page (f_iosize = PAGE_SIZE) the same setting never deadlocks even the buggy sendfile"() {
        given: 'the partial-block point counted, doing nothing else'
        watch('pageout_evict_partial_block')

        expect:
        failedRuns('buggy', 30, [f_iosize: '4096']).empty
        hits('pageout_evict_partial_block') == 0
        fired('sendfile_swapin_pre_grab') > 0
    }

    /**
     * The interleaving of the forced features: nginx's sendfile comes only after the pagedaemon's
     * pass has left the file's first block partly cached. The run's result.
     */
    private RunResult sendfileAfterThePagedaemonsPass(String variant) {
        // nginx stops before sendfile_swapin grabs the pages
        def sendfile = holdAt('sendfile_swapin_pre_grab')

        // the partial-block point counted, doing nothing else
        watch('pageout_evict_partial_block')

        // the pagedaemon's pass runs while nginx waits
        def run = startRun(variant)
        sendfile.awaitHeld()
        awaitWorkloadStarted(run)
        thread('pagedaemon').awaitExited()
        assert hits('pageout_evict_partial_block') > 0

        // sendfile goes on over the partly cached block (an invalid page before valid ones)
        sendfile.release()
        run.await()
    }

    def "with sendfile after the pass that left a block partly cached, the buggy FUSE pager waits for itself, every time"() {
        when: 'nginx sendfiles only after the pagedaemon has left the first block partly cached'
        def result = sendfileAfterThePagedaemonsPass('buggy')

        then: 'WITNESS reports nginx asleep on a page it holds exclusive-busy itself'
        with(result) {
            kind() == DEADLOCK
            inOrder(report(), SYMPTOM)
        }

        where:
        attempt << (1..5)
    }

    def "in the same order, the fixed sendfile pages the block in and sends the file, every time"() {
        when: 'nginx sendfiles only after the pagedaemon has left the first block partly cached'
        def result = sendfileAfterThePagedaemonsPass('fixed')

        then: 'what nginx sent is the file'
        with(result) {
            kind() == SURVIVED
        }

        where:
        attempt << (1..5)
    }
}
