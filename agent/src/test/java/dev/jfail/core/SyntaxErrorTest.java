package dev.jfail.core;

import dev.jfail.FailPointSyntaxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every malformed setting is refused as a whole, with a one-line message naming column and expectation. */
class SyntaxErrorTest {

    private final FailPointRegistry registry = new FailPointRegistry(1);

    @ParameterizedTest(name = "{0}: {2} at column {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            50%slep(10)                   | 4  | unknown type            | one of off, panic, return, break, print, sleep, pause, yield, delay
            RETURN                        | 1  | unknown type            | one of off
            return(java.io.IOException)   | 8  | unexpected 'j'          | an integer
            panic(java..IOException)      | 7  | malformed class name java..IOException | an exception class
            panic(java.io.IOException     | 26 | missing ')'             | ')' after the exception class
            Off                           | 1  | unknown type            | one of off
            5.%return                     | 3  | unexpected '%'          | a digit after '.'
            5.                            | 3  | missing digits after '.' | a digit after '.'
            .%return                      | 2  | unexpected '%'          | a digit after '.'
            0*return                      | 1  | count of 0              | a whole number from 1
            00*return                     | 1  | count of 0              | a whole number from 1
            1.5*return                    | 1  | count with a fraction   | a whole number from 1
            .5*return                     | 1  | count with a fraction   | a whole number from 1
            2147483648*return             | 1  | count out of range      | a whole number from 1 to 2147483647
            50%                           | 4  | missing type            | one of off
            5                             | 2  | missing '%' or '*'      | '%' or '*' after the number 5
            5x                            | 2  | unexpected 'x'          | '%' or '*' after the number 5
            1%*sleep(50)                  | 3  | unknown type            | one of off
            "return (1)"                  | 7  | unexpected space        | '(', '[pid N]', '->' or the end of the setting
            "50% return"                  | 4  | unknown type            | one of off
            "return-> yield"              | 9  | unknown type            | one of off
            return(1                      | 9  | missing ')'             | ')' after the argument
            return(1]                     | 9  | unexpected ']'          | ')' after the argument
            return(1)x                    | 10 | unexpected 'x'          | '[pid N]', '->' or the end of the setting
            returnx                       | 7  | unexpected 'x'          | '(', '[pid N]', '->' or the end of the setting
            offf                          | 4  | unexpected 'f'          | '(', '[pid N]', '->' or the end of the setting
            return()                      | 8  | unexpected ')'          | an integer (decimal, 0x hex or 0 octal, optionally negative)
            return(x)                     | 8  | unexpected 'x'          | an integer
            return(+1)                    | 8  | unexpected '+'          | an integer
            return(-)                     | 9  | unexpected ')'          | an integer
            return(--1)                   | 9  | unexpected '-'          | an integer
            return(0x)                    | 10 | unexpected ')'          | hex digits after 0x
            return(0xg)                   | 10 | unexpected 'g'          | hex digits after 0x
            return(08)                    | 9  | digit 8 in an octal number | octal digits 0-7
            return(1.5)                   | 9  | unexpected '.'          | ')' after the argument
            return(9223372036854775808)   | 8  | number out of range     | a value from -9223372036854775808 to 9223372036854775807
            return(-9223372036854775809)  | 8  | number out of range     | a value from
            return(0x10000000000000000)   | 8  | number out of range     | a value from
            return[pid x]                 | 12 | unexpected 'x'          | a thread id (digits)
            return[pid -1]                | 12 | unexpected '-'          | a thread id (digits)
            return[pid 1                  | 13 | missing ']'             | ']' after the thread id
            return[pd 1]                  | 7  | malformed [pid N]       | [pid N] with N a thread id
            return[pid 1](1)              | 14 | unexpected '('          | '->' or the end of the setting
            return[pid 1][pid 2]          | 14 | unexpected '['          | '->' or the end of the setting
            return->                      | 9  | missing type            | one of off
            ->return                      | 1  | unknown type            | one of off
            return->->yield               | 9  | unknown type            | one of off
            return-yield                  | 7  | unexpected '-'          | '(', '[pid N]', '->' or the end of the setting
            return>yield                  | 7  | unexpected '>'          | '(', '[pid N]', '->' or the end of the setting
            return;yield                  | 7  | unexpected ';'          | '(', '[pid N]', '->' or the end of the setting
            sleep(１)                     | 7  | unexpected '１'         | an integer
            """)
    void refusedWithColumnAndExpectation(String setting, int column, String problem, String expected) {
        FailPointSyntaxException e = assertThrows(FailPointSyntaxException.class, () -> SettingParser.parse(setting));
        assertAll(
                () -> assertEquals(column, e.column(), e.getMessage()),
                () -> assertTrue(e.getMessage().startsWith(setting + ": " + problem + " at column " + column + "; expected "),
                        e.getMessage()),
                () -> assertTrue(e.expected().startsWith(expected), e.getMessage()),
                () -> assertEquals(setting, e.setting()));
    }

    @Test
    void theIssuesExampleReadsAsAnEngineerExpects() {
        FailPointSyntaxException e = assertThrows(FailPointSyntaxException.class, () -> SettingParser.parse("50%slep(10)"));
        assertEquals("50%slep(10): unknown type at column 4; expected one of off, panic, return, break, print, "
                + "sleep, pause, yield, delay", e.getMessage());
    }

    @Test
    void anEmptyOrBlankSettingIsAnError() {
        for (String blank : new String[] {"", "   ", "\t\n"}) {
            FailPointSyntaxException e = assertThrows(FailPointSyntaxException.class, () -> SettingParser.parse(blank));
            assertEquals(1, e.column());
            assertTrue(e.getMessage().contains("empty setting"), e.getMessage());
        }
    }

    @Test
    void aNullSettingIsAnErrorToo() {
        assertThrows(FailPointSyntaxException.class, () -> SettingParser.parse(null));
    }

    @Test
    void twentyTermsAreFineTheTwentyFirstIsNot() {
        String twenty = String.join("->", java.util.Collections.nCopies(20, "1*yield"));
        assertEquals(20, SettingParser.parse(twenty).size());
        String twentyOne = twenty + "->yield";
        FailPointSyntaxException e = assertThrows(FailPointSyntaxException.class, () -> SettingParser.parse(twentyOne));
        assertEquals(twenty.length() + 3, e.column());
        assertTrue(e.getMessage().contains("too many terms"), e.getMessage());
        assertEquals("at most 20 terms", e.expected());
    }

    @Test
    void settingsOfUpTo1023BytesAreFineLongerOnesAreNot() {
        String exactly1023 = "return(" + "0".repeat(1015) + ")"; // octal zero, 1023 bytes
        assertEquals(1023, exactly1023.length());
        assertEquals(1, SettingParser.parse(exactly1023).size());

        String tooLong = "return(" + "0".repeat(1016) + ")";
        FailPointSyntaxException e = assertThrows(FailPointSyntaxException.class, () -> SettingParser.parse(tooLong));
        assertEquals(1024, e.column());
        assertEquals("at most 1023 bytes", e.expected());
    }

    @Test
    void theByteLimitCountsUtf8Bytes() {
        String setting = "é".repeat(600); // 1200 bytes, 600 chars
        FailPointSyntaxException e = assertThrows(FailPointSyntaxException.class, () -> SettingParser.parse(setting));
        assertEquals(512, e.column(), e.getMessage()); // the 512th é ends at byte 1024
        assertTrue(e.getMessage().contains("setting too long"));
    }

    @Test
    void theMessageIsOneLineEvenForControlCharactersAndLongSettings() {
        FailPointSyntaxException e = assertThrows(FailPointSyntaxException.class, () -> SettingParser.parse("ret\nurn"));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getMessage().contains("ret\\u000Aurn"), e.getMessage());
        FailPointSyntaxException tab = assertThrows(FailPointSyntaxException.class, () -> SettingParser.parse("return\t(1)"));
        assertTrue(tab.getMessage().contains("unexpected character U+0009 at column 7"), tab.getMessage());

        FailPointSyntaxException longOne = assertThrows(FailPointSyntaxException.class,
                () -> SettingParser.parse("yield->".repeat(30) + "nope"));
        assertTrue(longOne.getMessage().length() < 300, longOne.getMessage());
        assertTrue(longOne.getMessage().contains("...: "), longOne.getMessage());
    }

    @Test
    void aRefusedSettingLeavesThePreviousOneInPlace() {
        registry.set("p", "3*return(7)");
        registry.point("p").evaluate();
        assertThrows(FailPointSyntaxException.class, () -> registry.set("p", "50%slep(10)"));
        assertEquals("2*return(7)", registry.get("p"));
        assertTrue(registry.point("p").isArmed());
    }

    @Test
    void aSyntaxErrorIsAnIllegalArgumentException() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> registry.set("p", "nonsense"));
        assertTrue(e instanceof FailPointSyntaxException);
    }
}
