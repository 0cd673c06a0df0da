package dev.jfail.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which return(n) a method can take, what it then returns, and how a setting is refused. */
class ReturnValuesTest {

    @ParameterizedTest(name = "{0} can return {1}: {2}")
    @CsvSource(textBlock = """
            int,                 2147483647,           true
            int,                 2147483648,           false
            int,                 -2147483648,          true
            int,                 -2147483649,          false
            java.lang.Integer,   -2147483649,          false
            java.lang.Integer,   22,                   true
            long,                -9223372036854775808, true
            java.lang.Long,      9223372036854775807,  true
            short,               32767,                true
            short,               32768,                false
            java.lang.Short,     -32769,               false
            byte,                127,                  true
            byte,                128,                  false
            byte,                -128,                 true
            java.lang.Byte,      300,                  false
            char,                0,                    true
            char,                65535,                true
            char,                65536,                false
            char,                -1,                   false
            java.lang.Character, 65,                   true
            boolean,             0,                    true
            boolean,             -9223372036854775808, true
            java.lang.Boolean,   12345,                true
            void,                99999999999,          true
            java.lang.Void,      1,                    true
            float,               9223372036854775807,  true
            double,              -1,                   true
            java.lang.Float,     1,                    true
            java.lang.Double,    1,                    true
            java.lang.String,    0,                    false
            java.lang.Object,    1,                    false
            java.lang.Number,    1,                    false
            int[],               1,                    false
            """)
    void whatEachReturnTypeCanTake(String type, long n, boolean can) {
        assertEquals(can, ReturnValues.canReturn(type, n), () -> String.valueOf(ReturnValues.problem(type, n)));
    }

    @Test
    void conversionGivesABoxOfTheReturnType() {
        assertEquals(Integer.valueOf(22), ReturnValues.convert("int", 22));
        assertEquals(Integer.valueOf(-1), ReturnValues.convert("java.lang.Integer", -1));
        assertEquals(Long.valueOf(1L << 40), ReturnValues.convert("long", 1L << 40));
        assertEquals(Short.valueOf((short) -5), ReturnValues.convert("short", -5));
        assertEquals(Byte.valueOf((byte) 127), ReturnValues.convert("java.lang.Byte", 127));
        assertEquals(Character.valueOf('A'), ReturnValues.convert("char", 65));
        assertEquals(Boolean.TRUE, ReturnValues.convert("boolean", 1));
        assertEquals(Boolean.TRUE, ReturnValues.convert("boolean", -3));
        assertEquals(Boolean.FALSE, ReturnValues.convert("java.lang.Boolean", 0));
        assertEquals(Float.valueOf(3f), ReturnValues.convert("float", 3));
        assertEquals(Double.valueOf(-2d), ReturnValues.convert("java.lang.Double", -2));
        assertNull(ReturnValues.convert("void", 5));
        assertEquals(Integer.valueOf(7), ReturnValues.convert(int.class, 7));
        assertEquals(Boolean.FALSE, ReturnValues.convert(Boolean.class, 0));
        assertNull(ReturnValues.convert(void.class, 0));
        assertThrows(IllegalArgumentException.class, () -> ReturnValues.convert("byte", 300));
        assertThrows(IllegalArgumentException.class, () -> ReturnValues.convert(String.class, 0));
    }

    @Test
    void aSettingADeclaredMethodCannotHonourIsRefusedNamingTheMethod() {
        FailPointRegistry registry = new FailPointRegistry(1);
        registry.point("small").declare(new Site("dev.example.Pager.status()", "byte"));
        registry.set("small", "yield");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> registry.set("small", "50%return(300)"));
        assertEquals("failpoint small: return(300) cannot be honoured by dev.example.Pager.status(): "
                + "it returns byte, which holds -128 to 127", e.getMessage());
        assertEquals("yield", registry.get("small"));

        registry.set("small", "return(-128)");
        registry.set("small", "off->return(300)"); // unreachable terms are not checked
        assertEquals("off", registry.get("small"));
    }

    @Test
    void everyDeclaredSiteMustHonourEveryReachableReturn() {
        FailPointRegistry registry = new FailPointRegistry(1);
        FailPointState p = registry.point("two");
        p.declare(new Site("A.flag()", "boolean"));
        p.declare(new Site("B.name()", "java.lang.String"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> registry.set("two", "return(1)"));
        assertTrue(e.getMessage().contains("B.name()"), e.getMessage());
        registry.set("two", "sleep(1)->yield"); // no return: fine anywhere
    }

    @Test
    void aSiteDeclaredAfterASettingItCannotHonourGetsAWarningNotAnError() {
        FailPointRegistry registry = new FailPointRegistry(1);
        registry.set("late", "return(70000)");
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            registry.point("late").declare(new Site("dev.example.Late.code()", "char"));
        } finally {
            System.setErr(err);
        }
        String warning = captured.toString(StandardCharsets.UTF_8);
        assertEquals("jfail: warning: failpoint late is set to 'return(70000)', but return(70000) cannot be "
                + "honoured by dev.example.Late.code(): it returns char, which holds 0 to 65535", warning.strip());
        assertEquals("return(70000)", registry.get("late"));
    }
}
