package com.example.tickets;

import dev.jfail.junit.Explore;
import dev.jfail.junit.WithFailPoints;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Push-button: the test is the workload, its assertion the symptom, and the points are automatic
 * ones in {@link Seats}' package (no failpoint in its code, nothing in the pom). The explorer finds
 * the double booking and hands back {@link SeatsTest}'s setting with its explicit declaration. Not
 * run by CI (it fails while the race is there, as it should); {@code bench/explore-libraries.sh}
 * runs it: {@code mvn -f examples/pom.xml test -Dtest=SeatsExploration}.
 */
@WithFailPoints(points = "auto@com.example.tickets.*")
class SeatsExploration {

    @Explore(budget = "60s")
    void a_seat_is_booked_once() throws Exception {
        Seats seats = new Seats();
        assertFalse(bothBooked(seats, false), () -> "alice and bob were both told seat 7 is theirs; it holds " + seats.holder(7));
    }

    @Explore(budget = "60s")
    void a_seat_booked_atomically_is_booked_once() throws Exception {
        Seats seats = new Seats();
        assertFalse(bothBooked(seats, true), () -> "alice and bob were both told seat 7 is theirs; it holds " + seats.holder(7));
    }

    /** Alice and Bob book seat 7 at the same moment: whether both were told it is theirs. */
    static boolean bothBooked(Seats seats, boolean atomically) throws InterruptedException {
        boolean[] alice = new boolean[1];
        Thread t = new Thread(() -> alice[0] = atomically ? seats.bookAtomically(7, "alice") : seats.book(7, "alice"));
        t.start();
        boolean bob = atomically ? seats.bookAtomically(7, "bob") : seats.book(7, "bob");
        t.join();
        return alice[0] && bob;
    }
}
