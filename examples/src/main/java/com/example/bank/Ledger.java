package com.example.bank;

import dev.jfail.FailPoint;

/** The bank's ledger, which may refuse a movement (it never does here unless a failpoint says so). */
public class Ledger {

    /** Whether the ledger refuses to record a withdrawal of {@code amount}; {@code return(1)} makes it refuse. */
    @FailPoint("ledger_rejects")
    public boolean rejects(long amount) {
        return false;
    }
}
