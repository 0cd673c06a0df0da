package dev.jfail.bench;

/** The smallest application, for measuring what the agent adds to a JVM's start (see startup.sh). */
public final class Hello {

    private Hello() {
    }

    public static void main(String[] args) {
        System.out.println("hello");
    }
}
