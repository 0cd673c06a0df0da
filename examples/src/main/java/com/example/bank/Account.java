package com.example.bank;

import dev.jfail.FailPoint;

/**
 * An account whose withdrawal checks the balance and then acts on it: two withdrawals that both
 * pass the check before either acts overdraw it. The window is a few instructions wide, so the
 * race shows once in a blue moon; a test holds a thread at {@code withdraw_checked} to make it
 * happen every run.
 */
public class Account {

    private long balance;
    private final Ledger ledger;

    public Account(long opening, Ledger ledger) {
        this.balance = opening;
        this.ledger = ledger;
    }

    /** Takes {@code amount} out if the balance covers it and the ledger accepts; says whether it did. */
    public boolean withdraw(long amount) {
        if (balance < amount) {            // check ...
            return false;
        }
        checked();
        if (ledger.rejects(amount)) {
            return false;
        }
        balance -= amount;                 // ... then act on what was checked
        return true;
    }

    // tag::failpoint[]
    @FailPoint("withdraw_checked")   // dev.jfail.FailPoint: between the check and the act on it
    void checked() {                 // nothing here, but a failpoint can hold a thread
    }
    // end::failpoint[]

    public long balance() {
        return balance;
    }
}
