package dev.jfail.agent;

import dev.jfail.FailPointPanic;
import dev.jfail.FailPointStatus;
import dev.jfail.fixture.Inside;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.utility.OpenedClassReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static dev.jfail.agent.Instrumented.call;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every position, on the same compiled class rewritten to several class file versions: 61 (Java
 * 17), 52 (Java 8), 50 (Java 6: frames, no invokedynamic) and 48 (Java 1.4: neither).
 */
@Timeout(60)
class PositionsTest {

    private static final String INSIDE = Inside.class.getName();
    private final Instrumented agent = new Instrumented();
    /** Threads of their own: the common pool may have a single thread on 2 cores, running the two sides in turn. */
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    /** {@link Inside}'s class file as {@code major} would have it (frames dropped before Java 6). */
    static byte[] asVersion(byte[] classFile, int major) {
        ClassReader reader = OpenedClassReader.of(classFile);
        ClassWriter writer = new ClassWriter(0);
        reader.accept(new ClassVisitor(OpenedClassReader.ASM_API, writer) {
            @Override
            public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
                super.visit(major, access, name, signature, superName, interfaces);
            }
        }, major < 50 ? ClassReader.SKIP_FRAMES : 0);
        byte[] bytes = writer.toByteArray();
        assertEquals(major, ClassFileScan.majorVersion(bytes));
        return bytes;
    }

    private Class<?> declare(int major, String... declarations) {
        for (String d : declarations) {
            agent.catalog.add(List.of(PointSpec.parse(d)));
        }
        return agent.load(INSIDE, asVersion(Instrumented.classFile(INSIDE), major));
    }

    /** The n-th line (from 1) of {@code method} in the line table. */
    private static int line(String method, int n) {
        return MethodShapes.of(Instrumented.classFile(INSIDE)).methods(method, "").get(0).lines().get(n - 1);
    }

    private static Object newInside(Class<?> type) throws Exception {
        return type.getDeclaredConstructor().newInstance();
    }

    private static Object invoke(Object target, String method, Object... args) throws Throwable {
        for (java.lang.reflect.Method m : target.getClass().getMethods()) {
            if (m.getName().equals(method) && m.getParameterCount() == args.length) {
                try {
                    return m.invoke(target, args);
                } catch (java.lang.reflect.InvocationTargetException e) {
                    throw e.getCause();
                }
            }
        }
        throw new NoSuchMethodException(method);
    }

    @ParameterizedTest(name = "class file version {0}")
    @ValueSource(ints = {61, 52, 50, 48})
    void offPointsLeaveEveryMethodAsItWas(int major) throws Throwable {
        Class<?> type = declare(major, "l@" + INSIDE + "#compute:line=" + line("compute", 2),
                "c@" + INSIDE + "#compute:before=twice#2", "a@" + INSIDE + "#step:after=java.util.List.add",
                "s@" + INSIDE + "#guarded:after=synchronized", "e@" + INSIDE + "#fails:exit",
                "n@" + INSIDE + "#name:exit", "f@" + INSIDE + "#name:after=add#1");
        assertEquals(2 + 4 + 8, call(type, "compute", 1));
        assertEquals(5, call(type, "guarded", 4));
        assertEquals(7L, call(type, "fails", false));
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> call(type, "fails", true));
        assertEquals("failed", thrown.getMessage());
        assertEquals("x", call(type, "name", "x"));
        assertTrue(agent.registry.status("l").declared());
    }

    @ParameterizedTest(name = "class file version {0}")
    @ValueSource(ints = {61, 52, 50, 48})
    void returnAtALineReturnsFromTheMethodThere(int major) throws Throwable {
        Class<?> type = declare(major, "l@" + INSIDE + "#compute:line=" + line("compute", 3));
        agent.registry.set("l", "return(5)");
        assertEquals(5, call(type, "compute", 1));
        agent.registry.set("l", "1*return(6)->off");
        assertEquals(6, call(type, "compute", 1));
        assertEquals(14, call(type, "compute", 1)); // spent, the point went off: not even evaluated
        assertEquals(2, agent.registry.status("l").evaluations());
    }

    @ParameterizedTest(name = "class file version {0}")
    @ValueSource(ints = {61, 52, 50, 48})
    void entryStaysTheDefaultAndReturnsBeforeTheBody(int major) throws Throwable {
        Class<?> type = declare(major, "in@" + INSIDE + "#compute", "in@" + INSIDE + "#step:entry");
        Object inside = newInside(type);
        agent.registry.set("in", "return(9)");
        assertEquals(9, invoke(inside, "compute", 1));
        invoke(inside, "step");
        assertEquals(List.of(), type.getField("log").get(inside));
        agent.registry.set("in", "off");
        assertEquals(14, invoke(inside, "compute", 1));
    }

    @ParameterizedTest(name = "class file version {0}")
    @ValueSource(ints = {61, 52, 50, 48})
    void aLineInALoopIsReachedOnEveryTurn(int major) throws Throwable {
        Class<?> type = declare(major, "body@" + INSIDE + "#sum:line=" + line("sum", 3));
        agent.registry.set("body", "yield");
        assertEquals(45, call(type, "sum", 10));
        assertEquals(10, agent.registry.status("body").fired("yield"));
    }

    @ParameterizedTest(name = "class file version {0}")
    @ValueSource(ints = {61, 52, 50, 48})
    void beforeAndAfterACallCountTheCallsAndTheKthIsOneOfThem(int major) throws Throwable {
        Class<?> type = declare(major, "every@" + INSIDE + "#compute:after=Inside.twice",
                "second@" + INSIDE + "#compute:before=dev.jfail.fixture.Inside.twice(I)#2",
                "first@" + INSIDE + "#step:after=add(Ljava/lang/Object;)Z#1");
        agent.registry.set("every", "yield");
        assertEquals(14, call(type, "compute", 1));
        assertEquals(2, agent.registry.status("every").fired("yield"));
        agent.registry.set("second", "yield");
        assertEquals(14, call(type, "compute", 1));
        assertEquals(1, agent.registry.status("second").evaluations());
        agent.registry.set("second", "panic");
        assertThrows(FailPointPanic.class, () -> call(type, "compute", 1));

        Object inside = newInside(type);
        agent.registry.set("first", "return(1)");
        invoke(inside, "step");
        assertEquals(List.of("one"), type.getField("log").get(inside));
    }

    @ParameterizedTest(name = "class file version {0}")
    @ValueSource(ints = {61, 52, 50, 48})
    void exitReplacesTheReturnedValueAndAnExceptionLeavingTheMethod(int major) throws Throwable {
        Class<?> type = declare(major, "e@" + INSIDE + "#fails:exit", "n@" + INSIDE + "#name:exit");
        agent.registry.set("e", "return(3)");
        assertEquals(3L, call(type, "fails", false));
        assertEquals(3L, call(type, "fails", true));
        agent.registry.set("e", "panic");
        assertThrows(FailPointPanic.class, () -> call(type, "fails", false));
        assertThrows(FailPointPanic.class, () -> call(type, "fails", true));
        agent.registry.set("e", "yield");
        assertThrows(IllegalStateException.class, () -> call(type, "fails", true));
        assertEquals(1, agent.registry.status("e").fired("yield"));
        agent.registry.set("n", "yield");
        assertEquals("y", call(type, "name", "y"));
        assertEquals(1, agent.registry.status("n").fired("yield"));
    }

    @ParameterizedTest(name = "class file version {0}")
    @ValueSource(ints = {61, 52, 50, 48})
    void exitOfAMethodThatIsOnlyAReturn(int major) throws Throwable {
        Class<?> type = declare(major, "none@" + INSIDE + "#nothing:exit");
        Object inside = newInside(type);
        invoke(inside, "nothing");
        agent.registry.set("none", "return(1)");
        invoke(inside, "nothing");
        agent.registry.set("none", "panic");
        assertThrows(FailPointPanic.class, () -> invoke(inside, "nothing"));
        assertEquals(2, agent.registry.status("none").evaluations());
    }

    @ParameterizedTest(name = "class file version {0}")
    @ValueSource(ints = {61, 52, 50, 48})
    void returnInsideASynchronizedBlockLeavesItAsAReturnStatementWould(int major) throws Throwable {
        Class<?> type = declare(major, "inner@" + INSIDE + "#guarded:after=synchronized#2",
                "fin@" + INSIDE + "#record:after=add#1");
        Object inside = newInside(type);
        Object lock = type.getField("lock").get(inside);
        agent.registry.set("inner", "return(42)");
        assertEquals(42, invoke(inside, "guarded", 5));
        assertFalse(Thread.holdsLock(lock));
        assertEquals(1, type.getField("counter").get(inside)); // the first block ran, the second returned at once
        CompletableFuture<Object> other = CompletableFuture.supplyAsync(() -> {
            try {
                return invoke(inside, "read");
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }, threads);
        assertEquals(1, other.get(10, TimeUnit.SECONDS));

        agent.registry.set("fin", "return(1)");
        assertEquals(null, invoke(inside, "record", "z"));
        assertEquals(List.of("z", "finally"), type.getField("log").get(inside)); // the finally block ran
    }

    @ParameterizedTest(name = "class file version {0}")
    @ValueSource(ints = {61, 48})
    void aPauseAfterTheMonitorHoldsItAndBeforeHoldsNone(int major) throws Throwable {
        Class<?> type = declare(major, "after@" + INSIDE + "#guarded:after=synchronized#1",
                "before@" + INSIDE + "#guarded:before=synchronized#1");
        Object inside = newInside(type);
        for (String point : List.of("before", "after")) {
            agent.registry.set(point, "pause");
            CompletableFuture<Object> paused = CompletableFuture.supplyAsync(() -> {
                try {
                    return invoke(inside, "guarded", 0);
                } catch (Throwable t) {
                    throw new IllegalStateException(t);
                }
            }, threads);
            await().atMost(Duration.ofSeconds(10)).until(() -> agent.registry.status(point).paused().size() == 1);
            CompletableFuture<Object> reader = CompletableFuture.supplyAsync(() -> {
                try {
                    return invoke(inside, "read");
                } catch (Throwable t) {
                    throw new IllegalStateException(t);
                }
            }, threads);
            if (point.equals("before")) {
                reader.get(10, TimeUnit.SECONDS); // nothing held
            } else {
                await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(5)).until(() -> !reader.isDone());
            }
            agent.registry.set(point, "off");
            paused.get(10, TimeUnit.SECONDS);
            reader.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aPositionTheMethodLacksIsReportedOnLoadAndTheMethodRunsOn() throws Throwable {
        String[] printed = new String[1];
        printed[0] = Instrumented.stderrOf(() -> declare(61, "l@" + INSIDE + "#compute:line=9999",
                "c@" + INSIDE + "#compute:before=frob", "s@" + INSIDE + "#compute:after=synchronized",
                "k@" + INSIDE + "#compute:after=twice#3"));
        String[] lines = printed[0].strip().split("\n");
        assertEquals(4, lines.length, printed[0]);
        int first = line("compute", 1);
        assertTrue(lines[0].contains("Inside.compute(I)I has no line 9999; its lines are " + first + "-" + (first + 3)),
                lines[0]);
        assertTrue(lines[1].contains("does not call frob; its calls are Inside.twice (2x)"), lines[1]);
        assertTrue(lines[2].contains("has no synchronized block"), lines[2]);
        assertTrue(lines[3].contains("calls twice 2 times"), lines[3]);
        assertFalse(agent.registry.status("l").declared());
    }

    @Test
    void theSiteIsNamedWithItsPosition() {
        declare(61, "gap@" + INSIDE + "#compute:line=" + line("compute", 2), "gap@" + INSIDE + "#fails:exit",
                "gap@" + INSIDE + "#step:before=add#2");
        FailPointStatus status = agent.registry.status("gap");
        assertEquals(List.of(INSIDE + ".compute(int):" + line("compute", 2), INSIDE + ".fails(boolean):exit",
                INSIDE + ".step():before=add#2"), status.sites().stream().sorted().toList());
    }

    @ParameterizedTest(name = "class file version {0}")
    @ValueSource(ints = {61, 48})
    void returnThatTheMethodCannotTakeIsRefusedWhenSet(int major) {
        declare(major, "s@" + INSIDE + "#name:line=" + line("name", 1));
        assertThrows(IllegalArgumentException.class, () -> agent.registry.set("s", "return(1)"));
        agent.registry.set("s", "panic");
        assertEquals("panic", agent.registry.get("s"));
    }
}
