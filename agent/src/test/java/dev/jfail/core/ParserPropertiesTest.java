package dev.jfail.core;

import dev.jfail.FailPointSyntaxException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Properties of the parser over generated settings, valid and not. */
class ParserPropertiesTest {

    /** Valid settings built from the grammar: any modifiers in any order, types, arguments, pids. */
    @Provide
    Arbitrary<String> settings() {
        return term().list().ofMinSize(1).ofMaxSize(SettingParser.MAX_TERMS).map(terms -> String.join("->", terms));
    }

    private Arbitrary<String> term() {
        Arbitrary<String> modifiers = Arbitraries.oneOf(probability().map(p -> p + "%"), count().map(c -> c + "*"))
                .list().ofMaxSize(3).map(list -> String.join("", list));
        Arbitrary<String> type = Arbitraries.of(FailPointType.values()).map(FailPointType::token);
        Arbitrary<String> argument = Arbitraries.oneOf(Arbitraries.just(""), integer().map(n -> "(" + n + ")"));
        Arbitrary<String> pid = Arbitraries.oneOf(Arbitraries.just(""),
                Arbitraries.longs().between(0, Long.MAX_VALUE).map(n -> "[pid " + n + "]"));
        return Combinators.combine(modifiers, type, argument, pid).as((m, t, a, p) -> m + t + a + p);
    }

    private Arbitrary<String> probability() {
        Arbitrary<String> whole = Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(4);
        Arbitrary<String> fraction = Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(7);
        return Arbitraries.oneOf(whole, Combinators.combine(whole, fraction).as((w, f) -> w + "." + f),
                fraction.map(f -> "." + f));
    }

    private Arbitrary<String> count() {
        return Arbitraries.integers().between(1, Integer.MAX_VALUE).map(String::valueOf);
    }

    private Arbitrary<String> integer() {
        Arbitrary<Long> n = Arbitraries.longs();
        return Arbitraries.oneOf(n.map(String::valueOf),
                n.map(v -> (v < 0 ? "-0x" : "0x") + Long.toHexString(Math.abs(v == Long.MIN_VALUE ? 0 : v))),
                n.map(v -> (v < 0 ? "-0" : "0") + Long.toOctalString(Math.abs(v == Long.MIN_VALUE ? 0 : v))));
    }

    /** Fragments of the grammar's alphabet, glued at random: mostly nonsense, sometimes valid. */
    @Provide
    Arbitrary<String> alphabetSoup() {
        Arbitrary<String> fragment = Arbitraries.of("off", "panic", "return", "break", "print", "sleep", "pause",
                "yield", "delay", "(", ")", "->", "-", ">", "%", "*", ".", "[pid ", "[pid", "]", "0x", "0X", "0", "1",
                "5", "9", "10", "00", "99999999999999999999", "f", "x", " ", "\t", ";", "=", "é", "\u0000", "ret");
        return fragment.list().ofMaxSize(30).map(list -> String.join("", list));
    }

    @Property(tries = 1000)
    void validSettingsParseAndTheirReadBackParsesToTheSameSetting(@ForAll("settings") String setting) {
        ParsedSetting once = ParsedSetting.parse(setting);
        String readBack = once.readBack();
        ParsedSetting twice = ParsedSetting.parse(readBack);
        assertEquals(once.terms(), twice.terms(), setting);
        assertEquals(readBack, twice.readBack());
    }

    @Property(tries = 1000)
    void aStoredSettingReadsBackAsItsNormalisedForm(@ForAll("settings") String setting) {
        FailPointRegistry registry = new FailPointRegistry(0);
        registry.set("p", setting);
        assertEquals(ParsedSetting.parse(setting).readBack(), registry.get("p"));
        registry.set("p", registry.get("p"));
        assertEquals(ParsedSetting.parse(setting).readBack(), registry.get("p"));
    }

    @Property(tries = 1000)
    void normalisedSettingsHoldOnlyReachableTerms(@ForAll("settings") String setting) {
        List<Term> terms = ParsedSetting.parse(setting).terms();
        for (int i = 0; i < terms.size(); i++) {
            Term t = terms.get(i);
            assertTrue(t.probability() > 0);
            assertFalse(t.type() == FailPointType.OFF && !t.counted());
            assertTrue(t.type() != FailPointType.PAUSE || i == terms.size() - 1);
        }
    }

    @Property(tries = 2000)
    void onArbitraryStringsTheParserOnlyEverThrowsItsOwnErrorAndNeverHangs(@ForAll String anything) {
        parsesOrRefusesQuickly(anything);
    }

    @Property(tries = 3000)
    void onStringsOfTheGrammarsAlphabetToo(@ForAll("alphabetSoup") String soup) {
        parsesOrRefusesQuickly(soup);
    }

    private static void parsesOrRefusesQuickly(String input) {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            try {
                ParsedSetting.parse(input);
            } catch (FailPointSyntaxException e) {
                String stripped = input.strip();
                assertTrue(e.column() >= 1 && e.column() <= stripped.length() + 1, e.getMessage());
                assertFalse(e.getMessage().contains("\n") || e.getMessage().contains("\r"), e.getMessage());
            }
        });
    }
}
