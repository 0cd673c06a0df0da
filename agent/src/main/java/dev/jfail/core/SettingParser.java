package dev.jfail.core;

import dev.jfail.FailPointSyntaxException;

import java.util.ArrayList;
import java.util.List;

/**
 * The parser of FreeBSD's {@code debug.fail_point} language (fail(9), kern_fail.c).
 *
 * <pre>
 * setting   = term , { "->" , term } ;             (* at most 20 terms, at most 1023 bytes (UTF-8) *)
 * term      = { modifier } , type , [ "(" , ( int | class ) , ")" ] , [ "[pid " , id , "]" ] ;
 * modifier  = prob , "%"  |  count , "*" ;         (* any order, any number; the LAST prob and the LAST count win *)
 * prob      = digits , [ "." , digits ]  |  "." , digits ;   (* percent; "5." is an error, ".5" is fine *)
 * count     = digits ;                              (* a whole number from 1 to 2147483647 *)
 * type      = "off" | "panic" | "return" | "break" | "print"
 *           | "sleep" | "pause" | "yield" | "delay" ;          (* case-sensitive *)
 * int       = [ "-" ] , ( decimal | "0x" hex | "0" octal ) ;   (* strtol base 0, a Java long *)
 * id        = digit , ... ;                         (* as int, without the sign (kern_fail.c: strtol base 0) *)
 * class     = letter , { letter | digit | "." | "$" | "_" } ;   (* only after panic; jfail's own *)
 * </pre>
 *
 * <ul>
 * <li>A probability is kept in millionths (four decimals of a percent): a fifth decimal {@code >= 5}
 *     rounds up, later decimals are ignored, more than 100 is clamped to 100.</li>
 * <li>{@code [pid N]} may follow the type with or without an argument (the man page's grammar;
 *     kern_fail.c itself rejects {@code return[pid 1]}).</li>
 * <li>{@code panic(CLASS)} throws the exception class named (a binary name, e.g.
 *     {@code panic(java.io.IOException)}: a checked one the method declares, or any unchecked one)
 *     instead of the point's own; plain {@code panic} is FreeBSD's and throws the point's own
 *     (see {@code @FailPoint(panic = ...)}). The class is found when the point fires, by the loader
 *     of the method's class; one that cannot be made is reported once and the point's own is thrown.
 *     Only {@code panic} takes a class.</li>
 * <li>No whitespace inside a setting; whitespace around the whole setting is stripped first, and
 *     columns in errors count from the stripped setting.</li>
 * </ul>
 * The parser only parses: dropping unreachable terms is {@link ParsedSetting}'s job.
 */
public final class SettingParser {

    public static final int MAX_TERMS = 20;
    public static final int MAX_BYTES = 1023;

    private static final String TYPES = "one of " + FailPointType.allTokens();
    private static final String INTEGER = "an integer (decimal, 0x hex or 0 octal, optionally negative)";
    private static final String PID = "[pid N] with N a thread id, e.g. [pid 1]";

    private final String s;
    private int pos;
    /** What may follow the term just parsed, for the error message when something else does. */
    private String afterTerm;

    private SettingParser(String s) {
        this.s = s;
    }

    /** Parses {@code setting} into its terms, unnormalised; throws {@link FailPointSyntaxException}. */
    public static List<Term> parse(String setting) {
        if (setting == null) {
            throw new FailPointSyntaxException("null", 1, "no setting", "a setting such as 50%sleep(10)");
        }
        return new SettingParser(setting.strip()).setting();
    }

    private List<Term> setting() {
        checkLength();
        if (s.isEmpty()) {
            throw fail(0, "empty setting", "a setting such as off, return(1) or 50%sleep(10)");
        }
        List<Term> terms = new ArrayList<>();
        terms.add(term());
        while (pos < s.length()) {
            if (!s.startsWith("->", pos)) {
                throw fail(pos, "unexpected " + describeAt(pos), afterTerm);
            }
            pos += 2;
            if (terms.size() == MAX_TERMS) {
                throw fail(pos, "too many terms", "at most " + MAX_TERMS + " terms");
            }
            terms.add(term());
        }
        return terms;
    }

    private void checkLength() {
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
            if (bytes > MAX_BYTES) {
                throw fail(i, "setting too long", "at most " + MAX_BYTES + " bytes");
            }
        }
    }

    private Term term() {
        int probability = Term.PROB_MAX;
        long count = Term.UNCOUNTED;
        while (pos < s.length() && (isDigit(s.charAt(pos)) || s.charAt(pos) == '.')) {
            int start = pos;
            Number number = number();
            if (pos == s.length()) {
                throw fail(pos, "missing '%' or '*'", "'%' or '*' after the number " + s.substring(start, pos));
            }
            char c = s.charAt(pos);
            if (c == '%') {
                probability = number.millionths();
            } else if (c == '*') {
                count = countOf(number, start);
            } else {
                throw fail(pos, "unexpected " + describeAt(pos), "'%' or '*' after the number " + s.substring(start, pos));
            }
            pos++;
        }
        FailPointType type = type();
        afterTerm = "'(', '[pid N]', '->' or the end of the setting";
        long argument = 0;
        String thrown = null;
        if (pos < s.length() && s.charAt(pos) == '(') {
            pos++;
            if (type == FailPointType.PANIC && pos < s.length() && Character.isJavaIdentifierStart(s.charAt(pos))) {
                thrown = className();
            } else {
                argument = integer(true);
            }
            expect(')', type == FailPointType.PANIC ? "')' after the exception class" : "')' after the argument");
            afterTerm = "'[pid N]', '->' or the end of the setting";
        }
        long pid = Term.ANY_THREAD;
        if (pos < s.length() && s.charAt(pos) == '[') {
            if (!s.startsWith("[pid ", pos)) {
                throw fail(pos, "malformed [pid N]", PID);
            }
            pos += "[pid ".length();
            pid = integer(false);
            expect(']', "']' after the thread id");
            afterTerm = "'->' or the end of the setting";
        }
        return new Term(type, probability, count, argument, pid, thrown);
    }

    /** An exception class's binary name after {@code panic(}: {@code java.io.IOException}, {@code a.B$C}. */
    private String className() {
        int start = pos;
        while (pos < s.length() && (Character.isJavaIdentifierPart(s.charAt(pos)) || s.charAt(pos) == '.')) {
            pos++;
        }
        String name = s.substring(start, pos);
        if (name.endsWith(".") || name.contains("..")) {
            throw fail(start, "malformed class name " + name, "an exception class such as java.io.IOException");
        }
        return name;
    }

    /** A prob or count before its '%' or '*': whole part (saturated) and four decimals, rounded. */
    private record Number(long units, boolean fraction, int decimal) {
        int millionths() {
            long p = Math.min(units, 100) * (Term.PROB_MAX / 100) + decimal;
            return (int) Math.min(p, Term.PROB_MAX);
        }
    }

    private long countOf(Number number, int start) {
        String expected = "a whole number from 1 to " + Integer.MAX_VALUE + " before '*'";
        if (number.fraction()) {
            throw fail(start, "count with a fraction", expected);
        }
        if (number.units() == 0) {
            throw fail(start, "count of 0", expected);
        }
        if (number.units() > Integer.MAX_VALUE) {
            throw fail(start, "count out of range", expected);
        }
        return number.units();
    }

    private Number number() {
        long units = 0;
        while (pos < s.length() && isDigit(s.charAt(pos))) {
            // saturate: a probability clamps at 100 and a count errs above Integer.MAX_VALUE anyway
            units = Math.min(units * 10 + (s.charAt(pos) - '0'), (long) Integer.MAX_VALUE + 1);
            pos++;
        }
        if (pos == s.length() || s.charAt(pos) != '.') {
            return new Number(units, false, 0);
        }
        pos++;
        int decimal = 0;
        int digits = 0;
        while (pos < s.length() && isDigit(s.charAt(pos))) {
            int digit = s.charAt(pos) - '0';
            if (digits < 4) {
                decimal = decimal * 10 + digit;
            } else if (digits == 4 && digit >= 5) {
                decimal++;
            }
            digits++;
            pos++;
        }
        if (digits == 0) {
            throw fail(pos, pos == s.length() ? "missing digits after '.'" : "unexpected " + describeAt(pos),
                    "a digit after '.'");
        }
        for (; digits < 4; digits++) {
            decimal *= 10;
        }
        return new Number(units, true, decimal);
    }

    private FailPointType type() {
        for (FailPointType type : FailPointType.values()) {
            if (s.startsWith(type.token(), pos)) {
                pos += type.token().length();
                return type;
            }
        }
        throw fail(pos, pos == s.length() ? "missing type" : "unknown type", TYPES);
    }

    /** strtol(p, &end, 0) without its leniencies: a digit (or '-' when signed) must come first. */
    private long integer(boolean signed) {
        int start = pos;
        boolean negative = signed && pos < s.length() && s.charAt(pos) == '-';
        if (negative) {
            pos++;
        }
        if (pos == s.length() || !isDigit(s.charAt(pos))) {
            throw fail(pos, pos == s.length() ? "missing number" : "unexpected " + describeAt(pos),
                    signed ? INTEGER : "a thread id (digits)");
        }
        int radix = 10;
        if (s.charAt(pos) == '0') {
            if (pos + 1 < s.length() && (s.charAt(pos + 1) == 'x' || s.charAt(pos + 1) == 'X')) {
                radix = 16;
                pos += 2;
                if (pos == s.length() || digitValue(s.charAt(pos), 16) < 0) {
                    throw fail(pos, pos == s.length() ? "missing hex digits" : "unexpected " + describeAt(pos),
                            "hex digits after 0x");
                }
            } else {
                radix = 8;
            }
        }
        long value = 0; // accumulated negatively, so that Long.MIN_VALUE fits
        int d;
        while (pos < s.length() && (d = digitValue(s.charAt(pos), radix)) >= 0) {
            if (value < (Long.MIN_VALUE + d) / radix) {
                throw fail(start, "number out of range", "a value from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE);
            }
            value = value * radix - d;
            pos++;
        }
        if (radix == 8 && pos < s.length() && isDigit(s.charAt(pos))) {
            throw fail(pos, "digit " + s.charAt(pos) + " in an octal number", "octal digits 0-7 after a leading 0");
        }
        if (!negative) {
            if (value == Long.MIN_VALUE) {
                throw fail(start, "number out of range", "a value from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE);
            }
            value = -value;
        }
        return value;
    }

    private void expect(char c, String expected) {
        if (pos == s.length() || s.charAt(pos) != c) {
            throw fail(pos, pos == s.length() ? "missing '" + c + "'" : "unexpected " + describeAt(pos), expected);
        }
        pos++;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static int digitValue(char c, int radix) {
        int v = c >= '0' && c <= '9' ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                : -1;
        return v < radix ? v : -1;
    }

    private String describeAt(int index) {
        int cp = s.codePointAt(index);
        if (cp == ' ') {
            return "space";
        }
        if (Character.isWhitespace(cp) || Character.isISOControl(cp) || !Character.isDefined(cp)
                || Character.getType(cp) == Character.FORMAT || Character.isSurrogate(s.charAt(index))) {
            return String.format("character U+%04X", cp);
        }
        return "'" + new String(Character.toChars(cp)) + "'";
    }

    private FailPointSyntaxException fail(int index, String problem, String expected) {
        return new FailPointSyntaxException(s, index + 1, problem, expected);
    }
}
