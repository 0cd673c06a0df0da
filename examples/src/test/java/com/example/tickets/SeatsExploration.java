package com.example.tickets;

import dev.jfail.junit.Explore;
import dev.jfail.junit.WithFailPoints;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Push-button: the test is the workload, its assertion the symptom, and the points are automatic
 * ones in {@link Seats} (auto@ on the class: its package also holds this test; no failpoint in its code, nothing in the pom). The explorer finds
 * the double booking and hands back {@link SeatsTest}'s setting with its explicit declaration. Not
 * run by CI (it fails while the race is there, as it should); {@code bench/explore-libraries.sh}
 * runs it: {@code mvn -f examples/pom.xml test -Dtest=SeatsExploration}.
 */
@WithFailPoints(points = "auto@com.example.tickets.Seats")
class SeatsExploration {

    @Explore(budget = "60s")
    void a_seat_is_booked_once() throws Exception {
        long tickets = ticketsForSeat7(false);
        assertTrue(tickets <= 1, () -> tickets + " tickets issued for seat 7");
    }

    @Explore(budget = "60s")
    void a_seat_booked_atomically_is_booked_once() throws Exception {
        long tickets = ticketsForSeat7(true);
        assertTrue(tickets <= 1, () -> tickets + " tickets issued for seat 7");
    }

    /** Alice and Bob book seat 7 at the same moment: how many tickets were issued for it. */
    static long ticketsForSeat7(boolean atomically) throws InterruptedException {
        Seats seats = new Seats();
        Thread alice = new Thread(() -> book(seats, "alice", atomically));
        alice.start();
        book(seats, "bob", atomically);
        alice.join();
        return seats.ticketsFor(7);
    }

    private static void book(Seats seats, String guest, boolean atomically) {
        if (atomically) {
            seats.bookAtomically(7, guest);
        } else {
            seats.book(7, guest);
        }
    }
}
