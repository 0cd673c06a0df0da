package com.example.bank;

import dev.jfail.FailPoint;

/**
 * The other fix: the check and the act under one lock, so a second withdrawal waits for the first
 * to finish. The same window, the same failpoint; a hold there now keeps the lock too.
 */
public class LockedAccount {

    private long balance;
    private final Ledger ledger;

    public LockedAccount(long opening, Ledger ledger) {
        this.balance = opening;
        this.ledger = ledger;
    }

    /** Takes {@code amount} out if the balance covers it and the ledger accepts; says whether it did. */
    public synchronized boolean withdraw(long amount) {
        if (balance < amount) {
            return false;
        }
        checked();
        if (ledger.rejects(amount)) {
            return false;
        }
        balance -= amount;
        return true;
    }

    @FailPoint("withdraw_checked")
    void checked() {
    }

    public synchronized long balance() {
        return balance;
    }
}
