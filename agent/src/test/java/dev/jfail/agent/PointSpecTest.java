package dev.jfail.agent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PointSpecTest {

    @Test
    void aDeclarationNamesPointClassMethodAndOptionallyADescriptor() {
        assertEquals(new PointSpec("slow_fetch", "com.foo.Client", "fetch", ""),
                PointSpec.parse("slow_fetch@com.foo.Client#fetch"));
        assertEquals(new PointSpec("p", "com.foo.Parser$Inner", "parse", "(Ljava/lang/String;)I"),
                PointSpec.parse(" p@com.foo.Parser$Inner#parse(Ljava/lang/String;)I "));
        assertEquals(new PointSpec("p", "com.foo.Bar", "m", "([JI)"), PointSpec.parse("debug.fail_point.p@com/foo/Bar#m([JI)"));
    }

    @Test
    void aDescriptorMatchesByPrefixSoTheParameterListIsEnough() {
        PointSpec spec = PointSpec.parse("p@a.B#m(I)");
        assertTrue(spec.matches("m", "(I)V"));
        assertFalse(spec.matches("m", "(J)V"));
        assertFalse(spec.matches("n", "(I)V"));
        assertTrue(PointSpec.parse("p@a.B#m").matches("m", "(Ljava/lang/Object;)Z"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"p@com.foo.Bar", "@com.foo.Bar#m", "p@#m", "p@com.foo.Bar#", "p@com.foo.Bar#m(Q)",
            "p@com.foo.Bar#m(Ljava/lang/String)", "p@com.foo.Bar#<init>", "p com.foo.Bar#m", "debug.fail_point.@a.B#m"})
    void aMalformedDeclarationIsRefusedWithTheExpectedForm(String bad) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PointSpec.parse(bad));
        assertTrue(e.getMessage().startsWith("bad failpoint declaration"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void agentArgumentsMixSettingsAndDeclarations() {
        AgentArguments args = AgentArguments.parse(
                "a=50%sleep(10);p@com.foo.P#parse(Ljava/lang/String;)I;b=20%return(1);q@x.Y#z(I)Ljava/lang/String;;c=off");
        assertEquals("a=50%sleep(10);b=20%return(1);c=off", args.settings());
        assertEquals(List.of(PointSpec.parse("p@com.foo.P#parse(Ljava/lang/String;)I"),
                PointSpec.parse("q@x.Y#z(I)Ljava/lang/String;")), args.declarations());
    }

    @Test
    void emptyAgentArgumentsAreNothing() {
        assertEquals(AgentArguments.NONE, AgentArguments.parse(null));
        assertEquals(AgentArguments.NONE, AgentArguments.parse("  "));
        assertEquals("", AgentArguments.parse(";;").settings());
    }

    @Test
    void theCliAsksForTheMBeanWithAnOption() {
        assertTrue(AgentArguments.parse("--jmx").jmxNow());
        assertTrue(AgentArguments.parse("a=off;--jmx").jmxNow());
        assertFalse(AgentArguments.parse("a=off").jmxNow());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AgentArguments.parse("--jxm"));
        assertEquals("unknown option '--jxm'; the only one is --jmx", e.getMessage());
    }

    @Test
    void settingsAreLeftForTheRegistryToJudge() {
        assertEquals("a=bogus;=x", AgentArguments.parse("a=bogus;=x").settings());
    }
}
