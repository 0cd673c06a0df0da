package com.example.libraries;

import dev.jfail.junit.Explore;

/**
 * The races of {@link Log4jWorkloads} and {@link Pool2Workloads} explored push-button: the test is
 * the workload, its assertion the symptom, and the explorer may only use the points declared on the
 * libraries' code (the plugin's {@code points} in pom.xml). Not run by CI (the name is not
 * {@code *Test}): {@code bench/explore-libraries.sh} runs each with a 60-second budget and prints a
 * table. The {@code correct_*} ones are the same workloads used correctly: they must report nothing.
 */
class LibraryRacesExploration {

    @Explore(budget = "60s")
    void log4j_nested_logging_never_deadlocks() throws Exception {
        Log4jWorkloads.nestedLogging(true);
    }

    @Explore(budget = "60s")
    void correct_log4j_message_that_does_not_log() throws Exception {
        Log4jWorkloads.nestedLogging(false);
    }

    @Explore(budget = "60s")
    void log4j_async_appender_logs_what_was_logged() throws Exception {
        Log4jWorkloads.asyncLogging();
    }

    @Explore(budget = "60s")
    void pool2_concurrent_addObject_respects_maxIdle() throws Exception {
        Pool2Workloads.preload(false);
    }

    @Explore(budget = "60s")
    void correct_pool2_synchronized_pool_respects_maxIdle() throws Exception {
        Pool2Workloads.preload(true);
    }
}
