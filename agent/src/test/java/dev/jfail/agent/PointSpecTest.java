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
    void aPositionFollowsTheMethodAfterAColon() {
        assertEquals(Position.ENTRY, PointSpec.parse("p@a.B#m").position());
        assertEquals(Position.ENTRY, PointSpec.parse("p@a.B#m:entry").position());
        assertEquals(Position.EXIT, PointSpec.parse("p@a.B#m(I)I:exit").position());
        assertEquals(new Position(Position.Kind.LINE, 1088, "", "", "", 0),
                PointSpec.parse("gap@com.acme.Pool#borrow:line=1088").position());
        assertEquals(new Position(Position.Kind.BEFORE_CALL, 0, "Pool", "lock", "", 2),
                PointSpec.parse("p@a.B#m:before=Pool.lock#2").position());
        assertEquals(new Position(Position.Kind.AFTER_CALL, 0, "com.acme.Pool", "take", "(J)", 0),
                PointSpec.parse("p@a.B#m:after=com/acme/Pool.take(J)").position());
        assertEquals(new Position(Position.Kind.AFTER_CALL, 0, "", "take", "", 0),
                PointSpec.parse("p@a.B#m:after=take").position());
        assertEquals(new Position(Position.Kind.BEFORE_SYNC, 0, "", "", "", 0),
                PointSpec.parse("p@a.B#m:before=synchronized").position());
        assertEquals(new Position(Position.Kind.AFTER_SYNC, 0, "", "", "", 3),
                PointSpec.parse("p@a.B#m:after=synchronized#3").position());
    }

    @ParameterizedTest
    @ValueSource(strings = {"p@a.B#m:exit", "p@a.B#m(I)I:line=7", "p@a.B#m:before=Pool.lock#2",
            "p@a.B#m:after=com.acme.Pool.take(Ljava/lang/String;)V", "p@a.B#m:after=synchronized#3"})
    void aDeclarationReadsBackAsWritten(String declaration) {
        assertEquals(declaration, PointSpec.parse(declaration).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"p@a.B#m:", "p@a.B#m:line=0", "p@a.B#m:line=x", "p@a.B#m:middle", "p@a.B#m:before=",
            "p@a.B#m:after=lock#0", "p@a.B#m:before=synchronized#", "p@a.B#m:exit=1"})
    void aMalformedPositionIsRefusedWithTheForms(String bad) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PointSpec.parse(bad));
        assertTrue(e.getMessage().startsWith("bad failpoint declaration"), e.getMessage());
        assertTrue(e.getMessage().contains("expected entry, exit, line=N"), e.getMessage());
    }

    @Test
    void aCalleeMatchesBySimpleOrFullOwnerNameAndDescriptorPrefix() {
        Position p = PointSpec.parse("p@a.B#m:before=Pool.lock(I)").position();
        assertTrue(p.matchesCall("com/acme/Pool", "lock", "(I)V"));
        assertTrue(PointSpec.parse("p@a.B#m:before=com.acme.Pool.lock").position().matchesCall("com/acme/Pool", "lock", "()V"));
        assertTrue(PointSpec.parse("p@a.B#m:before=Outer.Pool.lock").position().matchesCall("com/acme/Outer$Pool", "lock", "()V"));
        assertFalse(p.matchesCall("com/acme/Pool", "lock", "(J)V"));
        assertFalse(p.matchesCall("com/acme/MyPool", "lock", "(I)V"));
        assertFalse(p.matchesCall("com/acme/Pool", "unlock", "(I)V"));
    }

    @Test
    void agentArgumentsKeepACalleesDescriptorWhole() {
        AgentArguments args = AgentArguments.parse(
                "p@a.B#m(Ljava/lang/String;)V:before=C.d(Ljava/lang/String;)Ljava/lang/Object;;x=off");
        assertEquals("x=off", args.settings());
        assertEquals("p@a.B#m(Ljava/lang/String;)V:before=C.d(Ljava/lang/String;)Ljava/lang/Object;",
                args.declarations().get(0).toString());
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
