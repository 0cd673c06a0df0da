package com.example.bank;

import dev.jfail.FailPoints;
import dev.jfail.Hold;
import dev.jfail.junit.WithFailPoints;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The check-then-act race of Account, forced every run; and the fix, shown to hold under the same ordering. */
@WithFailPoints   // this class uses jfail: reset after each test, one jfail test at a time
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AccountTest {

    // tag::hold-test[]
    @Test
    @Order(1)
    void twoWithdrawalsOverdrawTheAccountWhenOneIsHeldBetweenItsCheckAndItsAct() {
        Account account = new Account(100, new Ledger());
        try (Hold checked = FailPoints.holdAt("withdraw_checked")) {      // the next thread there parks
            CompletableFuture<Boolean> first = CompletableFuture.supplyAsync(() -> account.withdraw(100));
            checked.awaitHeld();                                          // it checked: 100 covers 100
            assertTrue(account.withdraw(100));                            // meanwhile, the whole second withdrawal
            checked.release();                                            // the first acts on what it checked
            assertTrue(first.join());
        }
        assertEquals(-100, account.balance());
    }
    // end::hold-test[]

    @Test
    @Order(2)
    void theAtomicAccountNeverOverdrawsUnderTheSameOrdering() {
        AtomicAccount account = new AtomicAccount(100, new Ledger());
        try (Hold checked = FailPoints.holdAt("withdraw_checked")) {
            CompletableFuture<Boolean> first = CompletableFuture.supplyAsync(() -> account.withdraw(100));
            checked.awaitHeld();
            assertTrue(account.withdraw(100));
            checked.release();
            assertFalse(first.join());                                    // it saw the balance change and checked again
        }
        assertEquals(0, account.balance());
    }

    // tag::hold-fix-test[]
    @Test
    @Order(3)
    void theLockedAccountMakesTheSecondWithdrawalWaitForTheHeldOne() throws InterruptedException {
        LockedAccount account = new LockedAccount(100, new Ledger());
        try (Hold checked = FailPoints.holdAt("withdraw_checked")) {
            CompletableFuture<Boolean> first = CompletableFuture.supplyAsync(() -> account.withdraw(100));
            checked.awaitHeld();                                          // it holds the account's lock
            AtomicBoolean secondDone = new AtomicBoolean();
            Thread second = new Thread(() -> secondDone.set(account.withdraw(100)));   // not on the test's thread:
            second.start();                                               // only the test can release the first
            await().until(second::getState, state -> state == Thread.State.BLOCKED);  // the fix: it waits
            checked.release();
            second.join();
            assertTrue(first.join());
            assertFalse(secondDone.get());                                // it checked after the first acted
        }
        assertEquals(0, account.balance());
    }
    // end::hold-fix-test[]

    // tag::settings-test[]
    @Test
    @Order(4)
    @WithFailPoints("ledger_rejects=return(1)")                           // dev.jfail.junit.WithFailPoints
    void aWithdrawalTheLedgerRejectsChangesNothing() {
        Account account = new Account(100, new Ledger());
        assertFalse(account.withdraw(40));
        assertEquals(100, account.balance());
    }
    // end::settings-test[]

    @Test
    @Order(5)
    void settingsDoNotOutliveTheirTest() {
        assertEquals("off", FailPoints.get("ledger_rejects"));
        assertTrue(new Account(100, new Ledger()).withdraw(40));
    }
}
