package com.example.bank;

import dev.jfail.FailPoints;
import dev.jfail.Hold;
import dev.jfail.junit.WithFailPoints;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * What a newcomer's first mistakes get: tests that must fail, run through JUnit's EngineTestKit,
 * and the one line each fails with.
 */
class NewcomerMistakesTest {

    private static Throwable failureOf(Class<?> tests) {
        List<Event> failed = EngineTestKit.engine("junit-jupiter").selectors(selectClass(tests)).execute()
                .testEvents().failed().list();
        assertEquals(1, failed.size(), () -> "failures: " + failed);
        return failed.get(0).getPayload(TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow();
    }

    /** The README's hold test, run against the locked fix with the second call on the test's own thread. */
    @WithFailPoints
    static class SecondCallOnTheTestThread {
        @Test
        void twoWithdrawals() {
            LockedAccount account = new LockedAccount(100, new Ledger());
            try (Hold checked = FailPoints.holdAt("withdraw_checked")) {
                CompletableFuture<Boolean> first = CompletableFuture.supplyAsync(() -> account.withdraw(100));
                checked.awaitHeld();
                assertFalse(account.withdraw(100)); // waits for the held first withdrawal's lock
                checked.release();
                assertTrue(first.join());
            }
        }
    }

    @Test
    void aHoldTestRunAgainstTheLockedFixEndsNamingTheBlockedThreadAndTheHeldOne() {
        String message = failureOf(SecondCallOnTheTestThread.class).getMessage();
        String first = message.lines().findFirst().orElseThrow();
        assertTrue(first.contains("\" is blocked on com.example.bank.LockedAccount@"), first);
        assertTrue(first.contains("which jfail holds at withdraw_checked; released the holds"), first);
        assertTrue(message.contains("com.example.bank.LockedAccount.checked("), message);
    }

    static class SpockAnnotationOnAJUnitTest {
        @Test
        @dev.jfail.spock.WithFailPoints("ledger_rejects=return(1)")
        void rejected() {
            assertFalse(new Account(100, new Ledger()).withdraw(40));
        }
    }

    @Test
    void theSpockAnnotationOnAJUnitTestNamesTheRightImport() {
        assertEquals("jfail: 'rejected()' carries @dev.jfail.spock.WithFailPoints, Spock's annotation, which JUnit 5 ignores:"
                + " import dev.jfail.junit.WithFailPoints instead", failureOf(SpockAnnotationOnAJUnitTest.class).getMessage());
    }

    static class TypoOnAFailingTest {
        @Test
        @WithFailPoints("ledger_reject=return(1)")
        void rejected() {
            assertFalse(new Account(100, new Ledger()).withdraw(40));
        }
    }

    @Test
    void aTypoOnAFailingTestIsNamedBeforeTheSeed() {
        new Ledger().rejects(1); // the class that declares ledger_rejects is loaded
        Throwable failure = failureOf(TypoOnAFailingTest.class);
        assertEquals("jfail: failpoints never fired: ledger_reject (never reached; no loaded code declares it"
                + " (did you mean ledger_rejects?)); the failure did not come through them (a misspelt or undeclared point?)",
                failure.getSuppressed()[0].getMessage());
    }
}
