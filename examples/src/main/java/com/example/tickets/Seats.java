package com.example.tickets;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A theatre's seats, booked from many threads. Plain code with a rare race and no failpoint: a
 * booking checks that the seat is free, writes the ticket, then takes the seat and issues the
 * ticket, so two guests who book the same seat at the same moment can both get a ticket for it.
 * jfail finds it from automatic points alone ({@code SeatsExploration}); {@link #bookAtomically}
 * is the fix.
 */
public final class Seats {

    private final Map<Integer, String> holders = new ConcurrentHashMap<>();
    private final Queue<String> issued = new ConcurrentLinkedQueue<>();

    /** Books {@code seat} for {@code guest} and issues a ticket; false when it is taken. */
    public boolean book(int seat, String guest) {
        if (holders.containsKey(seat)) {
            return false;
        }
        String ticket = ticket(guest, seat);
        holders.put(seat, ticket);
        issued.add(ticket);
        return true;
    }

    /** The same booking, the check and the act in one step of the map. */
    public boolean bookAtomically(int seat, String guest) {
        String ticket = ticket(guest, seat);
        if (holders.putIfAbsent(seat, ticket) != null) {
            return false;
        }
        issued.add(ticket);
        return true;
    }

    /** How many tickets were issued for {@code seat}: one at most. */
    public long ticketsFor(int seat) {
        return issued.stream().filter(t -> t.endsWith(" in seat " + seat)).count();
    }

    private static String ticket(String guest, int seat) {
        return guest + " in seat " + seat;
    }
}
