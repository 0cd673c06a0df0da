package com.example.libraries;

import dev.jfail.junit.WithFailPoints;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The settings the explorer handed back for the races of {@link LibraryRacesExploration}, kept as
 * regression tests (CI runs them): under each, the race shows on the buggy library within a few
 * runs, and the correct use of the library shows nothing. Their points are explicit declarations
 * on the annotations, nothing automatic. The AsyncAppender's and the pool's settings are what the
 * explorer handed back from automatic points (profile {@code explore}); the deadlock's is its hand-back
 * from the declared points (profile {@code explore-declared}), which reproduces about as often as those
 * it shrank from automatic points and in one point (docs/explore.md, "Races in real libraries").
 */
class LibraryRacesTest {

    /** Tries the workload up to this many times for the symptom: a handed-back setting shows it in 65 to 100% of runs. */
    private static final int TRIES = 8;

    interface Workload {
        void run() throws Exception;
    }

    /** Whether the workload fails with its symptom in one of {@link #TRIES} runs. */
    private static boolean showsItsSymptom(Workload workload) throws Exception {
        for (int i = 0; i < TRIES; i++) {
            try {
                workload.run();
            } catch (AssertionError symptom) {
                return true;
            }
        }
        return false;
    }

    private static void neverShowsItsSymptom(Workload workload) throws Exception {
        for (int i = 0; i < TRIES; i++) {
            workload.run();
        }
    }

    @Test
    @WithFailPoints(value = "log4j_do_append=sleep(5)", points = "log4j_do_append@org.apache.log4j.AppenderSkeleton#doAppend")
    void log4j_bug_41214_a_message_that_logs_deadlocks_two_loggers_sharing_an_appender() throws Exception {
        assertTrue(showsItsSymptom(() -> Log4jWorkloads.nestedLogging(true)));
    }

    @Test
    @WithFailPoints(value = "log4j_do_append=sleep(5)", points = "log4j_do_append@org.apache.log4j.AppenderSkeleton#doAppend")
    void log4j_a_message_that_does_not_log_never_deadlocks() throws Exception {
        neverShowsItsSymptom(() -> Log4jWorkloads.nestedLogging(false));
    }

    @Test
    @WithFailPoints(value = "AppenderSkeleton.doAppend.after_read_closed_1=sleep(25)",
            points = "AppenderSkeleton.doAppend.after_read_closed_1@org.apache.log4j.AppenderSkeleton#doAppend:after=field:closed#1")
    void log4j_1_2_15_async_appender_writes_the_state_after_the_call() throws Exception {
        assertTrue(showsItsSymptom(Log4jWorkloads::asyncLogging));
    }

    @Test
    @WithFailPoints(value = "AppenderSkeleton.doAppend.after_read_closed_1=sleep(25)",
            points = "AppenderSkeleton.doAppend.after_read_closed_1@org.apache.log4j.AppenderSkeleton#doAppend:after=field:closed#1")
    void log4j_async_appender_writes_a_rendered_string_as_logged() throws Exception {
        neverShowsItsSymptom(() -> Log4jWorkloads.asyncLogging(true));
    }

    @Test
    @WithFailPoints(value = "PooledObject.isNull.entry=sleep(2)",
            points = "PooledObject.isNull.entry@org.apache.commons.pool2.PooledObject#isNull(Lorg/apache/commons/pool2/PooledObject;)Z")
    void pool2_426_concurrent_addObject_exceeds_maxIdle() throws Exception {
        assertTrue(showsItsSymptom(() -> Pool2Workloads.preload(false)));
    }

    @Test
    @WithFailPoints(value = "PooledObject.isNull.entry=sleep(2)",
            points = "PooledObject.isNull.entry@org.apache.commons.pool2.PooledObject#isNull(Lorg/apache/commons/pool2/PooledObject;)Z")
    void pool2_synchronized_pool_keeps_maxIdle() throws Exception {
        neverShowsItsSymptom(() -> Pool2Workloads.preload(true));
    }
}
