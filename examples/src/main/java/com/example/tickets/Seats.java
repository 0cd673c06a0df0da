package com.example.tickets;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A theatre's seats, booked from many threads. Plain code with a rare race and no failpoint: a
 * booking checks that the seat is free, writes the confirmation, then takes the seat, so two guests
 * who book the same seat at the same moment can both be told it is theirs. jfail finds it from
 * automatic points alone ({@code SeatsExploration}); {@link #bookAtomically} is the fix.
 */
public final class Seats {

    private final Map<Integer, String> holders = new ConcurrentHashMap<>();

    /** Books {@code seat} for {@code guest}; false when it is taken. */
    public boolean book(int seat, String guest) {
        if (holders.containsKey(seat)) {
            return false;
        }
        String confirmation = confirmation(guest, seat);
        holders.put(seat, confirmation);
        return true;
    }

    /** The same booking, the check and the act in one step of the map. */
    public boolean bookAtomically(int seat, String guest) {
        String confirmation = confirmation(guest, seat);
        return holders.putIfAbsent(seat, confirmation) == null;
    }

    /** Who holds {@code seat}, as confirmed; null when it is free. */
    public String holder(int seat) {
        return holders.get(seat);
    }

    private static String confirmation(String guest, int seat) {
        return guest + " in seat " + seat;
    }
}
