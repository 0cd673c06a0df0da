package dev.jfail.core;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SettingListTest {

    @Test
    void entriesAreTrimmedPrefixesDroppedAndEmptyEntriesSkipped() {
        assertEquals(Map.of("a", "5*return(22)->off", "b", "yield"),
                SettingList.parse(" a = 5*return(22)->off ;; debug.fail_point.b=yield;"));
    }

    @Test
    void aLaterEntryForTheSameNameWinsAndMovesToTheEnd() {
        Map<String, String> entries = SettingList.parse("a=yield;b=pause;debug.fail_point.a=off");
        assertEquals(List.of("b", "a"), List.copyOf(entries.keySet()));
        assertEquals("off", entries.get("a"));
    }

    @Test
    void anEntryWithoutAnEqualsSignIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SettingList.parse("a=yield;oops"));
        assertEquals("entry 'oops' has no '='; expected name=setting", e.getMessage());
    }

    @Test
    void aBadNameIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SettingList.parse("a b=yield"));
        assertTrue(e.getMessage().startsWith("invalid failpoint name 'a b'"), e.getMessage());
    }

    @Test
    void joinWritesTheListFormAndParseReadsItBack() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("debug.fail_point.x", " 50%sleep(10) ");
        settings.put("y", "20%return(1)");
        String joined = SettingList.join(settings);
        assertEquals("x=50%sleep(10);y=20%return(1)", joined);
        assertEquals(Map.of("x", "50%sleep(10)", "y", "20%return(1)"), SettingList.parse(joined));
    }

    @Test
    void concatKeepsOrderAndTheLastWord() {
        assertEquals("b=pause;a=off", SettingList.concat(List.of("a=yield;b=pause", "a=off")));
        assertEquals(List.of("a", "b"), SettingList.names("a=1*yield;b=off"));
    }
}
