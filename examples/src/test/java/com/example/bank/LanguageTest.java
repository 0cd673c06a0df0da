package com.example.bank;

import dev.jfail.FailPointSyntaxException;
import dev.jfail.FailPoints;
import dev.jfail.junit.WithFailPoints;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The language page of the guide, run: what it shows setting, and what it says reads back. */
@WithFailPoints   // uses jfail: everything is reset after each test
class LanguageTest {

    @Test
    void theSettingsOfTheLanguagePage() {
        // tag::settings[]
        FailPoints.set("withdraw_checked", "50%sleep(10)");    // half the time, sleep 10 ms
        FailPoints.set("ledger_rejects", "20%return(1)");      // a fifth of the time, return 1 (true)
        FailPoints.set("foobar", "5*return(22)->off");         // return 22 five times, then never
        FailPoints.set("foobar", "5*return(5)->0.1%return(22)"); // 5 five times, then 22 one time in a thousand
        FailPoints.set("foobar", "0.1%5*return(5)");           // one time in a thousand, at most five times
        FailPoints.set("foobar", "print(1)->2%panic");         // log every hit; panic 2% of the time
        FailPoints.set("foobar", "return(1)[pid 42]");         // only thread 42 (Thread.getId())
        FailPoints.set("gate", "pause");                       // hold every thread that gets here ...
        FailPoints.off("gate");                                // ... and let them all go
        // end::settings[]
        assertEquals("50%sleep(10)", FailPoints.get("withdraw_checked"));
        assertEquals("20%return(1)", FailPoints.get("ledger_rejects"));
        assertEquals("return(1)[pid 42]", FailPoints.get("foobar"));
        assertEquals("off", FailPoints.get("gate"));
    }

    @Test
    void whatReadsBack() {
        String[][] table = {   // the page's table: set, reads back
                {"150%return", "return"},
                {"12.34567%return", "12.3457%return"},
                {"0.00004%return", "off"},
                {"1.2%2%return", "2%return"},
                {"return(0x10)", "return(16)"},
                {"return(0)", "return"},
                {"off->return(5)", "off"},
                {"pause->return(5)", "pause"},
        };
        for (String[] row : table) {
            FailPoints.set("foobar", row[0]);
            assertEquals(row[1], FailPoints.get("foobar"), row[0]);
        }
    }

    @Test
    void aCountedSettingReadsBackWhatIsLeft() {
        FailPoints.set("ledger_rejects", "5*return(5)");
        Ledger ledger = new Ledger();
        ledger.rejects(1);
        ledger.rejects(1);
        assertEquals("3*return(5)", FailPoints.get("ledger_rejects"));
    }

    @Test
    void aMalformedSettingNamesTheColumnAndChangesNothing() {
        FailPoints.set("withdraw_checked", "yield");
        FailPointSyntaxException e = assertThrows(FailPointSyntaxException.class,
                () -> FailPoints.set("withdraw_checked", "50%slep(10)"));
        assertTrue(e.getMessage().contains("unknown type at column 4"), e.getMessage());
        assertEquals("yield", FailPoints.get("withdraw_checked"));
    }

    @Test
    void severalAtOnceAllOrNothing() {
        // tag::set-all[]
        FailPoints.setAll("withdraw_checked=50%sleep(10); debug.fail_point.ledger_rejects=20%return(1)");
        // end::set-all[]
        assertEquals("50%sleep(10)", FailPoints.get("withdraw_checked"));
        assertEquals("20%return(1)", FailPoints.get("ledger_rejects"));
        assertThrows(IllegalArgumentException.class, () -> FailPoints.setAll("withdraw_checked=off;ledger_rejects=retrun"));
        assertEquals("50%sleep(10)", FailPoints.get("withdraw_checked"));
    }

    @Test
    void aSeedReplaysTheRolls() {
        // tag::seed[]
        long seed = FailPoints.seed();   // print it when a test fails ...
        FailPoints.seed(20151201L);      // ... and set it to replay; every thread's sequence starts over
        // end::seed[]
        assertEquals(20151201L, FailPoints.seed());
        FailPoints.seed(seed);
    }
}
