package com.example.bank;

import dev.jfail.FailPoint;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The fix: the act happens only if the balance is still the one that was checked (compare and
 * set), so a withdrawal that lost the race checks again. The same window, the same failpoint.
 */
public class AtomicAccount {

    private final AtomicLong balance;
    private final Ledger ledger;

    public AtomicAccount(long opening, Ledger ledger) {
        this.balance = new AtomicLong(opening);
        this.ledger = ledger;
    }

    /** Takes {@code amount} out if the balance covers it and the ledger accepts; says whether it did. */
    public boolean withdraw(long amount) {
        while (true) {
            long seen = balance.get();
            if (seen < amount) {
                return false;
            }
            checked();
            if (ledger.rejects(amount)) {
                return false;
            }
            if (balance.compareAndSet(seen, seen - amount)) {
                return true;
            }
        }
    }

    @FailPoint("withdraw_checked")
    void checked() {
    }

    public long balance() {
        return balance.get();
    }
}
