package dev.jfail.specs

import dev.jfail.dsl.Background
import dev.jfail.Hold
import dev.jfail.kernel.race.RunResult
import dev.jfail.spock.WithFailPoints
import spock.lang.Narrative
import spock.lang.Timeout
import spock.lang.Title

import static dev.jfail.kernel.race.RunResult.Kind.OOPS
import static dev.jfail.kernel.race.RunResult.Kind.SURVIVED

@Title('md bitmap teardown with an external bitmap (Linux, April 2021)')
@Narrative('''
mdmon stops a raid1 array whose bitmap user space keeps (IMSM). md_bitmap_flush's last daemon
pass writes a bitmap page with md_super_write, and nobody waits for it: md_bitmap_update_sb
returns early for an external bitmap, md_update_sb is skipped, and md_bitmap_free waits for
bitmap->pending_writes, not mddev->pending_writes. The member is unbound (rdev->mddev = NULL)
and the write's completion, super_written, dereferences it: the report's "NULL pointer
derefence when the I/O callback, super_written is called" (it shows no oops; the model says
it on a line of its own). The fixed variant has md_bitmap_flush call md_super_wait, as the
thread proposes (commit 404a8ef51258, from Linux's later history, not the report, puts it
before md_bitmap_update_sb). The failpoint settings are the project's own: its source has none.
''')
@Timeout(180)
class MdBitmapTeardownSpec extends RaceSpecification {

    String raceId = 'md-bitmap'

    /** The report's words (a NULL dereference when super_written is called), on the model's own line: the report shows no oops. */
    static final List<String> SYMPTOM = ['model: NULL pointer dereference in super_written', '(ksoftirqd/0)']

    def "the project's setting below delays super-block write completions; the other points are for holds"() {
        expect:
        race.settings().failpoints() == [super_written_delay: '50%sleep(5)', md_bitmap_flush_pre_update_sb: 'off', unbind_rdev_post_null: 'off']
    }

    @WithFailPoints('debug.fail_point.super_written_delay=50%sleep(5)')
    def "with completions delayed, the buggy teardown soon oopses in super_written"() {
        when:
        RunResult run = firstRunShowing('buggy', 'the NULL dereference in super_written') { RunResult r ->
            r.kind() == OOPS && inOrder(r.report(), SYMPTOM)
        }

        then: 'on the softirq; and nothing in a Linux format the report does not show'
        run.report().contains('(ksoftirqd/0)')
        !run.report().contains('WARNING')
        !run.report().contains('BUG:') && !run.report().contains('Oops') && !run.report().contains('RIP:')
    }

    @WithFailPoints('debug.fail_point.super_written_delay=50%sleep(5)')
    def "with the same delays the fixed teardown never leaves a write in flight"() {
        expect:
        failedRuns('fixed', SURVIVAL_RUNS).empty
    }

    /**
     * The start the forced features share: mdmon stops the array while the softirq holds the
     * completion of md_bitmap_flush's write, the unbinding of members watched. What follows differs
     * (the buggy teardown unbinds a member, the fixed one waits), so the features go on from here:
     * the completion's hold, to release, and the run.
     */
    private Tuple2<Hold, Background<RunResult>> stoppingWithTheBitmapWriteInFlight(String variant) {
        // the softirq completes the two bitmap writes of the array's last write, then stops at the next: md_bitmap_flush's
        def completion = holdAt('super_written_delay', passing: 2)

        // the unbinding of members is watched
        watch('unbind_rdev_post_null')

        // mdmon stops the array
        def run = startRun(variant)
        completion.awaitHeld()
        new Tuple2<>(completion, run)
    }

    def "with the bitmap write's completion held until the member is unbound, the buggy teardown oopses, every time"() {
        when: "mdmon stops the array; the softirq holds the completion of md_bitmap_flush's write"
        def (completion, run) = stoppingWithTheBitmapWriteInFlight('buggy')

        and: 'mdmon unbinds a member while the write is in flight: rdev->mddev = NULL'
        failpoint('unbind_rdev_post_null').awaitHits(1)

        and: 'the completion runs'
        completion.release()

        then:
        with(run.await()) {
            kind() == OOPS
            inOrder(report(), SYMPTOM)
        }

        where:
        attempt << (1..5)
    }

    def "with the completion held the same way, the fixed teardown waits for it in md_super_wait, every time"() {
        when: "mdmon stops the array; the softirq holds the completion of md_bitmap_flush's write"
        def (completion, run) = stoppingWithTheBitmapWriteInFlight('fixed')

        then: 'mdmon waits for the write in md_bitmap_flush, before any member is unbound'
        thread('mdmon').awaitWaitingIn('md_super_wait')
        hits('unbind_rdev_post_null') == 0

        when: 'the completion runs'
        completion.release()

        then: 'the array stops cleanly'
        with(run.await()) {
            kind() == SURVIVED
            !report().contains('WARNING')
        }

        where:
        attempt << (1..5)
    }
}
