package dev.jfail.core;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class NameSuggestionsTest {

    private static final List<String> KNOWN = List.of(
            "vmob_scan_rename_unlock", "unlock_and_deallocate_relock", "swapoff_all", "uvn_flush_sync");

    @Test
    void aTransposedLetterSuggestsTheDeclaredName() {
        assertEquals(List.of("vmob_scan_rename_unlock"),
                NameSuggestions.closest("vmob_scan_renmae_unlock", KNOWN));
    }

    @Test
    void theSysctlPrefixAndCaseAreIgnored() {
        assertEquals(List.of("swapoff_all"), NameSuggestions.closest("debug.fail_point.SWAPOF_ALL", KNOWN));
    }

    @Test
    void aPartOfANameSuggestsTheWholeName() {
        assertEquals(List.of("uvn_flush_sync"), NameSuggestions.closest("uvn_flush", KNOWN));
    }

    @Test
    void nothingCloseSuggestsNothing() {
        assertEquals(List.of(), NameSuggestions.closest("md_bitmap_daemon_work", KNOWN));
    }

    @Test
    void anExactNameIsNotItsOwnSuggestion() {
        assertEquals(List.of(), NameSuggestions.closest("swapoff_all", List.of("swapoff_all")));
    }

    @Test
    void editDistanceCountsInsertionsDeletionsAndSubstitutions() {
        assertEquals(3, NameSuggestions.levenshtein("kitten", "sitting"));
        assertEquals(0, NameSuggestions.levenshtein("", ""));
        assertEquals(4, NameSuggestions.levenshtein("", "abcd"));
    }
}
