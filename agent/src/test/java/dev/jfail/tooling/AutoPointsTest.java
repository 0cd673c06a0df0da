package dev.jfail.tooling;

import dev.jfail.FailPointPanic;
import dev.jfail.fixture.Counted;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import static dev.jfail.tooling.TestAgent.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code auto@}: which points it places in a class nobody annotated, their names, and their explicit declarations. */
@Timeout(60)
class AutoPointsTest {

    private static final String COUNTED = Counted.class.getName();

    private static TestAgent withAuto(String declaration) {
        TestAgent agent = new TestAgent();
        agent.catalog.add(List.of(Declaration.parse(declaration)));
        return agent;
    }

    private static List<String> names(TestAgent agent) {
        List<String> names = new ArrayList<>();
        for (PointDeclaration d : agent.catalog.automaticPoints()) {
            names.add(d.name());
        }
        return names;
    }

    @Test
    void placesPointsAtMonitorsLocksWaitsAtomicsThreadsChecksAndEntryAndExit() {
        TestAgent agent = withAuto("auto@" + COUNTED);
        agent.load(COUNTED);
        List<String> names = names(agent);
        for (String expected : List.of(
                "Counted.add.entry", "Counted.add.exit",
                "Counted.add.before_sync_1", "Counted.add.after_sync_1", "Counted.get.entry",
                "Counted.locked.before_lock_1", "Counted.locked.after_lock_1", "Counted.locked.after_unlock_2",
                "Counted.release.before_decrementAndGet_1", "Counted.release.after_decrementAndGet_1",
                "Counted.take.after_read_count_1", "Counted.awaitOne.after_read_count_1",
                "Counted.awaitOne.before_wait_1", "Counted.awaitOne.after_wait_1", "Counted.put.before_notifyAll_1",
                "Counted.putOnThread.before_start_1", "Counted.putOnThread.after_join_1")) {
            assertTrue(names.contains(expected), expected + " not among " + new TreeSet<>(names));
            assertTrue(agent.registry.status(expected).declared(), expected + " placed but not declared");
        }
        // add(long) only delegates: it touches no shared state, and gets no point
        assertFalse(names.stream().anyMatch(n -> n.startsWith("Counted.add-2.")), names.toString());
        assertTrue(names.contains("Counted.same-2.entry"), names.toString()); // same(int), then same(long): both read count
        // the class's own final field is no shared state, and a decrement is no check
        assertFalse(names.stream().anyMatch(n -> n.contains("read_limit")), names.toString());
        assertEquals(1, names.stream().filter(n -> n.startsWith("Counted.take.after_read")).count(), names.toString());
        // the lambda only calls put(), which has points of its own; no constructor gets any
        assertFalse(names.stream().anyMatch(n -> n.startsWith("Counted.lambda$putOnThread$")), names.toString());
        assertFalse(names.stream().anyMatch(n -> n.contains("<init>") || n.contains("init_")), names.toString());
    }

    @Test
    void offPointsLeaveEveryMethodAsItWas() throws Throwable {
        Class<?> type = withAuto("auto@dev.jfail.fixture.*").load(COUNTED);
        assertEquals(5, call(type, "add", 5));
        assertEquals(5, call(type, "add", 5L));
        assertEquals(4, call(type, "locked", 4));
        assertEquals(true, call(type, "release"));
        assertEquals(0, call(type, "take"));
        assertEquals(3, call(type, "putOnThread", 3));
    }

    @Test
    void eachPointInjectsWhereItSits() throws Throwable {
        TestAgent agent = withAuto("auto@" + COUNTED);
        Class<?> type = agent.load(COUNTED);
        Object counted = type.getDeclaredConstructor().newInstance();
        type.getMethod("add", int.class).invoke(counted, 1);
        // between the check and the decrement: the check passed, and the act is cut short
        agent.registry.set("Counted.take.after_read_count_1", "1*return(7)");
        assertEquals(7, type.getMethod("take").invoke(counted));
        assertEquals(1, type.getMethod("get").invoke(counted));
        assertEquals(1, type.getMethod("take").invoke(counted));
        // an exception right after the lock is taken: the finally block still unlocks it
        agent.registry.set("Counted.locked.after_lock_1", "1*panic");
        java.lang.reflect.InvocationTargetException thrown = assertThrows(java.lang.reflect.InvocationTargetException.class,
                () -> type.getMethod("locked", int.class).invoke(counted, 1));
        assertTrue(thrown.getCause() instanceof FailPointPanic, thrown.getCause().toString());
        assertEquals(3, type.getMethod("locked", int.class).invoke(counted, 3)); // 0 + 3, lock free again
        assertEquals(java.util.Map.of("panic", 1L), agent.registry.status("Counted.locked.after_lock_1").fired());
    }

    @Test
    void everyAutomaticPointIsItsExplicitDeclarationToo() {
        TestAgent auto = withAuto("auto@" + COUNTED);
        auto.load(COUNTED);
        List<PointDeclaration> placed = auto.catalog.automaticPoints();
        assertTrue(placed.size() > 30, placed.toString());
        TestAgent explicit = new TestAgent();
        List<Declaration> reparsed = new ArrayList<>();
        for (PointDeclaration d : placed) {
            assertEquals(List.of(d), auto.catalog.declarationsOf(d.name()));
            reparsed.add(Declaration.parse(d.toString())); // the written form reads back as the same site
        }
        explicit.catalog.add(reparsed);
        explicit.load(COUNTED);
        for (PointDeclaration d : placed) {
            assertEquals(auto.registry.status(d.name()).sites(), explicit.registry.status(d.name()).sites(), d.toString());
        }
        assertTrue(explicit.catalog.automaticPoints().isEmpty());
    }

    @Test
    void namesDependOnTheClassFileOnly() {
        byte[] classFile = TestAgent.classFile(COUNTED);
        assertEquals(AutoPoints.of(classFile), AutoPoints.of(classFile.clone()));
        TestAgent again = withAuto("auto@" + COUNTED);
        again.load(COUNTED);
        assertEquals(AutoPoints.of(classFile), again.catalog.automaticPoints());
    }

    @Test
    void aClassCoversItsNestedClassesAPackageItsSubpackages() {
        AutoDeclaration one = (AutoDeclaration) Declaration.parse("auto@com.acme.Pool");
        assertTrue(one.covers("com/acme/Pool"));
        assertTrue(one.covers("com/acme/Pool$Entry"));
        assertFalse(one.covers("com/acme/PoolX"));
        assertFalse(one.covers("com/acme/Pool/X"));
        AutoDeclaration all = (AutoDeclaration) Declaration.parse(" auto@com.acme.* ");
        assertTrue(all.covers("com/acme/Pool"));
        assertTrue(all.covers("com/acme/pool/Deep$Inner"));
        assertFalse(all.covers("com/acme"));
        assertFalse(all.covers("com/acmex/Pool"));
        assertEquals("auto@com.acme.*", all.toString());
        assertEquals("auto@com.acme.Pool", one.toString());
    }

    @Test
    void aMalformedAutomaticDeclarationSaysWhatWasExpected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Declaration.parse("auto@com..acme"));
        assertEquals("bad automatic declaration 'auto@com..acme': expected auto@CLASS or auto@PACKAGE.*,"
                + " e.g. auto@com.acme.Pool or auto@com.acme.pool.*", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Declaration.parse("auto@"));
        assertThrows(IllegalArgumentException.class, () -> Declaration.parse("auto@com.acme.*.Pool"));
        // with a method it is an ordinary declaration of a point named auto
        assertTrue(Declaration.parse("auto@com.acme.Pool#borrow") instanceof PointDeclaration);
    }

    @Test
    void aJdkClassGetsNoAutomaticPoints() {
        TestAgent agent = withAuto("auto@java.util.concurrent.*");
        assertEquals(null, agent.transformer.transform(null, null, "java/util/concurrent/Semaphore", null, null,
                new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE}));
    }

    @Test
    void aFieldPositionReadsBackAsWrittenAndSaysWhatTheMethodReads() {
        Position p = Position.parse("after=field:dev.jfail.fixture.Counted.count#2");
        assertEquals(Position.Kind.AFTER_FIELD, p.kind());
        assertEquals("after=field:dev.jfail.fixture.Counted.count#2", p.toString());
        assertEquals("before=field:count", Position.parse("before=field:count").toString());
        assertTrue(p.matchesField("dev/jfail/fixture/Counted", "count"));
        assertFalse(p.matchesField("dev/jfail/fixture/Other", "count"));
        MethodShapes shapes = MethodShapes.of(TestAgent.classFile(COUNTED));
        assertEquals(null, shapes.problem(PointDeclaration.parse("x@" + COUNTED + "#take:after=field:count#2")));
        assertEquals(COUNTED + ".take()I reads Counted.count 2 times", shapes.problem(
                PointDeclaration.parse("x@" + COUNTED + "#take:after=field:Counted.count#3")));
        assertEquals(COUNTED + ".release()Z does not read state; the fields it reads are Counted.refs",
                shapes.problem(PointDeclaration.parse("x@" + COUNTED + "#release:before=field:state")));
    }

    @Test
    void aCheckOfAFieldCanBeDelayedBetweenTheReadAndTheAct() throws Throwable {
        TestAgent agent = new TestAgent();
        agent.catalog.add(List.of(Declaration.parse("gap@" + COUNTED + "#take:after=field:count#1")));
        Class<?> type = agent.load(COUNTED);
        Object counted = type.getDeclaredConstructor().newInstance();
        type.getMethod("add", int.class).invoke(counted, 1);
        agent.registry.set("gap", "1*return(3)");
        assertEquals(3, type.getMethod("take").invoke(counted));
        assertEquals(java.util.Map.of("return", 1L), agent.registry.status("gap").fired());
    }

    @Test
    void aCollectionAskedBeforeABranchIsACheckOfSharedState() {
        TestAgent agent = withAuto("auto@" + COUNTED);
        agent.load(COUNTED);
        List<String> names = names(agent);
        // if (owners.containsKey(k)) ... owners.put(k, ...): the window is right after the call
        assertTrue(names.contains("Counted.claim.after_check_containsKey_1"), names.toString());
        assertTrue(names.contains("Counted.claim.entry"), names.toString()); // the map is shared state, final or not
        assertFalse(names.stream().anyMatch(n -> n.contains("check_put")), names.toString()); // put's answer is not tested
    }
}
