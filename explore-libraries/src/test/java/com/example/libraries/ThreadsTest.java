package com.example.libraries;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The workloads' wait for their threads ends when the waiting thread is interrupted, as an exploration's watchdog does to a hung run. */
class ThreadsTest {

    @Test
    void an_interrupt_ends_the_wait_even_when_the_first_thread_has_already_ended() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        Thread[] threads = Threads.start(() -> { }, () -> {
            try {
                never.await();   // the other thread waits for good, as on a lock a dead thread left held
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        threads[0].join();
        try {
            // preemptively: a wait that ignores the interrupt spins for good, and must fail the test, not hang it
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                Thread waiter = Thread.currentThread();
                Thread watchdog = new Thread(() -> {
                    try {
                        Thread.sleep(200);
                        waiter.interrupt();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                watchdog.start();
                assertThrows(InterruptedException.class, () -> Threads.joinOrFailOnDeadlock(threads));
                watchdog.join();
            });
        } finally {
            never.countDown();
        }
    }
}
