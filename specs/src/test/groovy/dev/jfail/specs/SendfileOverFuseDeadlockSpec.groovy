package dev.jfail.specs

import dev.jfail.kernel.race.RunResult
import dev.jfail.spock.FiringOptional
import dev.jfail.spock.WithFailPoints
import spock.lang.Narrative
import spock.lang.Timeout
import spock.lang.Title

import static dev.jfail.kernel.race.RunResult.Kind.DEADLOCK
import static dev.jfail.kernel.race.RunResult.Kind.SURVIVED

@Title('sendfile over FUSE deadlocks (FreeBSD bug 246886, fixed in r359473)')
@Narrative('''
nginx sendfiles a file cached from a FUSE mount whose blocks are 64 KiB (16 pages). The
pagedaemon, evicting a batch of pages at a time, has left a block partly evicted: an invalid
page with valid pages after it. sendfile_swapin grabs the range exclusive-busy, trims the valid
pages off the end of the run but leaves them busy, and the FUSE pager reads the whole block
(vfs_bio_getpages, bread, getblkx, allocbuf, vfs_vmio_extend, vm_page_grab_pages): it sleeps
on a page it holds itself. r359473 unbusies them before calling the pager.
''')
@Timeout(180)
class SendfileOverFuseDeadlockSpec extends RaceSpecification {

    String raceId = 'sendfile'

    /** The deadlock as WITNESS reports it: nginx waits for a page it holds itself, deep in the FUSE pager. */
    static final List<String> SYMPTOM = ['deadlock: thread', '(nginx) sleeps on "grbmaw" for page 0x', 'which it holds exclusive-busy itself',
                                         'vm_page_grab_pages() at', 'vfs_vmio_extend() at', 'allocbuf() at', 'getblkx() at',
                                         'bread() at', 'vfs_bio_getpages() at', 'fuse_vnop_getpages() at', 'sendfile_swapin() at']

    def "the bug report gives no settings: the model's make the pagedaemon linger inside a block"() {
        expect:
        race.seedFailpoints() == [pageout_evict_partial_block: 'sleep(2)', sendfile_swapin_pre_getpages: 'off', vfs_bio_getpages_pre_bread: 'off']
    }

    @WithFailPoints('debug.fail_point.pageout_evict_partial_block=sleep(2)')
    def "with the pagedaemon lingering in a partly evicted block, buggy sendfile soon waits for itself"() {
        when:
        RunResult run = firstRunShowing('buggy', 'nginx waiting for its own busy page') { RunResult r ->
            r.kind() == DEADLOCK && inOrder(r.report(), SYMPTOM)
        }

        then:
        run.report().contains('sleep chain:')
    }

    @WithFailPoints('debug.fail_point.pageout_evict_partial_block=sleep(2)')
    def "with the same setting the fixed sendfile always sends the whole file"() {
        expect:
        failedRuns('fixed', SURVIVAL_RUNS).empty
    }

    @WithFailPoints('debug.fail_point.pageout_evict_partial_block=sleep(2)')
    @FiringOptional('a block of one page is never partly evicted: that is the point')
    def "with blocks of one page (f_iosize = PAGE_SIZE) the same setting never deadlocks even the buggy sendfile"() {
        expect:
        failedRuns('buggy', 100, [f_iosize: '4096']).empty
        hits('pageout_evict_partial_block') == 0
    }

    /**
     * The interleaving of the forced features: the pagedaemon stops between two batches inside a
     * block, leaving an invalid page before valid ones, and nginx's sendfile runs over that block
     * before the pagedaemon goes on. The run's result.
     */
    private RunResult sendfileOverAPartlyEvictedBlock(String variant) {
        // nginx stops before sendfile_swapin grabs the pages
        def sendfile = holdAt('sendfile_swapin_pre_grab')

        // the pagedaemon stops between two batches inside a block
        def eviction = holdAt('pageout_evict_partial_block')

        // the pagedaemon runs while nginx calls sendfile
        def run = startRun(variant)
        eviction.awaitHeld()
        sendfile.awaitHeld()

        // sendfile goes on over the partly evicted block (an invalid page before valid ones), and nginx is done
        sendfile.release()
        thread('nginx').awaitExited()

        // the pagedaemon goes on
        eviction.release()
        run.await()
    }

    def "with a block partly evicted when sendfile grabs its pages, the buggy FUSE pager waits for itself, every time"() {
        when: 'the pagedaemon stops inside a block, and nginx sendfiles over the partly evicted block before it goes on'
        def result = sendfileOverAPartlyEvictedBlock('buggy')

        then: 'WITNESS reports nginx asleep on a page it holds exclusive-busy itself'
        with(result) {
            kind() == DEADLOCK
            inOrder(report(), SYMPTOM)
        }

        where:
        attempt << (1..5)
    }

    def "with a block partly evicted the same way, the fixed sendfile pages the block in and sends the file, every time"() {
        when: 'the pagedaemon stops inside a block, and nginx sendfiles over the partly evicted block before it goes on'
        def result = sendfileOverAPartlyEvictedBlock('fixed')

        then: 'what nginx sent is the file'
        with(result) {
            kind() == SURVIVED
        }

        where:
        attempt << (1..5)
    }
}
