package com.example.libraries;

import dev.jfail.junit.WithFailPoints;
import org.junit.jupiter.api.RepeatedTest;

/**
 * The tests the explorer handed back, as it printed them (20 repetitions each, to measure their
 * rate): each fails while its library's bug is there. Not run by CI (they fail, as they should, on
 * the buggy versions); {@code bench/explore-libraries.sh} runs them and counts the failing
 * repetitions. {@link LibraryRacesTest} keeps the same settings as tests that pass.
 */
class HandedBack {

    @RepeatedTest(20)
    @WithFailPoints(value = "log4j_do_append=sleep(5)", points = "log4j_do_append@org.apache.log4j.AppenderSkeleton#doAppend")
    void log4j_nested_logging_never_deadlocks() throws Exception {
        Log4jWorkloads.nestedLogging(true);
    }

    @RepeatedTest(20)
    @WithFailPoints(value = "AppenderSkeleton.doAppend.after_read_closed_1=sleep(25)",
            points = "AppenderSkeleton.doAppend.after_read_closed_1@org.apache.log4j.AppenderSkeleton#doAppend:after=field:closed#1")
    void log4j_async_appender_logs_what_was_logged() throws Exception {
        Log4jWorkloads.asyncLogging();
    }

    @RepeatedTest(20)
    @WithFailPoints(value = "PooledObject.isNull.entry=sleep(2)",
            points = "PooledObject.isNull.entry@org.apache.commons.pool2.PooledObject#isNull(Lorg/apache/commons/pool2/PooledObject;)Z")
    void pool2_concurrent_addObject_respects_maxIdle() throws Exception {
        Pool2Workloads.preload(false);
    }
}
