package dev.jfail.junit;

import dev.jfail.FailPoint;

import java.io.IOException;

/**
 * A JVM a test launches, which starts a process of its own ({@code sleep 300}), prints
 * {@code spawned PID}, and crosses its failpoint every 10 ms: what must not outlive the test.
 */
public final class Spawner {

    private Spawner() {
    }

    @FailPoint("spawner_tick")
    static int tick() {
        return 0;
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Process child = new ProcessBuilder("sleep", "300").start();
        System.out.println("spawned " + child.pid());
        long deadline = System.nanoTime() + 300_000_000_000L;
        while (System.nanoTime() < deadline) {
            tick();
            Thread.sleep(10);
        }
    }
}
