package dev.jfail.tooling;

import dev.jfail.FailPoint;
import dev.jfail.FailPointPanic;
import dev.jfail.bootstrap.Bootstrap;
import dev.jfail.bootstrap.SlowPath;
import dev.jfail.fixture.AbstractCarrier;
import dev.jfail.fixture.Annotated;
import dev.jfail.fixture.Calls;
import dev.jfail.fixture.Unmarked;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.ClassFileVersion;
import net.bytebuddy.description.annotation.AnnotationDescription;
import net.bytebuddy.description.modifier.Ownership;
import net.bytebuddy.description.modifier.Visibility;
import net.bytebuddy.implementation.FixedValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.jfail.tooling.TestAgent.call;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class InstrumenterTest {

    private final TestAgent agent = new TestAgent();
    private final Class<?> annotated = agent.load(Annotated.class.getName());

    @Test
    void theWarmUpDeclaresNoPoint() {
        Instrumenter.warmUp();
        assertFalse(dev.jfail.core.FailPointRegistry.global().isKnown("warm_up"));
    }

    @Test
    void anOffPointLeavesTheMethodAsItWas() throws Throwable {
        assertEquals(42, call(annotated, "answer"));
        assertEquals(false, call(annotated, "renameFails"));
        assertEquals(5L, call(annotated, "boxed"));
    }

    @Test
    void returnMakesTheMethodReturnNConvertedToItsType() throws Throwable {
        agent.registry.set("fx_int", "return(7)");
        agent.registry.set("fx_bool", "return(1)");
        agent.registry.set("fx_boxed", "return(-3)");
        agent.registry.set("fx_char", "return(0x62)");
        assertEquals(7, call(annotated, "answer"));
        assertEquals(true, call(annotated, "renameFails"));
        assertEquals(-3L, call(annotated, "boxed"));
        assertEquals('b', call(annotated, "letter"));
    }

    @Test
    void wideParametersAndReturnTypesKeepTheirFrames() throws Throwable {
        assertEquals(15.5, call(annotated, "wide", 1L, 2.5, 3, "four", new int[5]));
        assertEquals(7.5f, call(annotated, "instanceWide", 2.5, 5L, true));
        assertEquals((short) -2, call(annotated, "small", (byte) -2));
        agent.registry.set("fx_wide", "return(-9)");
        agent.registry.set("fx_instance_wide", "return(4)");
        agent.registry.set("fx_short", "return(300)");
        assertEquals(-9.0, call(annotated, "wide", 1L, 2.5, 3, "four", new int[5]));
        assertEquals(4.0f, call(annotated, "instanceWide", 2.5, 5L, true));
        assertEquals((short) 300, call(annotated, "small", (byte) -2));
    }

    @Test
    void turningThePointOffAgainRestoresTheMethod() throws Throwable {
        agent.registry.set("fx_int", "return(7)");
        assertEquals(7, call(annotated, "answer"));
        agent.registry.set("fx_int", "off");
        assertEquals(42, call(annotated, "answer"));
    }

    @Test
    void countsAreHonouredAtTheMethod() throws Throwable {
        agent.registry.set("fx_int", "2*return(7)");
        assertEquals(List.of(7, 7, 42, 42), List.of(call(annotated, "answer"), call(annotated, "answer"),
                call(annotated, "answer"), call(annotated, "answer")));
    }

    @Test
    void aVoidMethodReturnsAtOnce() throws Throwable {
        int before = Calls.HOOK.get();
        call(annotated, "hook");
        assertEquals(before + 1, Calls.HOOK.get());
        agent.registry.set("fx_void", "return");
        call(annotated, "hook");
        assertEquals(before + 1, Calls.HOOK.get(), "the body must have been skipped");
    }

    @Test
    void panicThrowsTheAnnotationsExceptionTypeFromTheMethod() {
        agent.registry.set("fx_panic", "panic");
        Throwable thrown = assertThrows(Throwable.class, () -> call(annotated, "panics"));
        assertEquals(Annotated.KernelPanic.class, thrown.getClass());
        assertEquals("fail point fx_panic panicking", thrown.getMessage());
        StackTraceElement top = thrown.getStackTrace()[0];
        assertEquals(Annotated.class.getName() + ".panics", top.getClassName() + "." + top.getMethodName());
        assertTrue(top.getLineNumber() > 0, "the failpoint's line: " + top);
    }

    @Test
    void panicWithAClassThrowsThatClassEvenAChecked() {
        agent.registry.set("fx_panic", "panic(java.io.IOException)");
        Throwable thrown = assertThrows(Throwable.class, () -> call(annotated, "panics"));
        assertEquals(java.io.IOException.class, thrown.getClass());
        assertEquals("fail point fx_panic panicking", thrown.getMessage());
        assertEquals("panics", thrown.getStackTrace()[0].getMethodName());

        agent.registry.set("fx_panic", "panic(java.lang.IllegalStateException)");
        assertEquals(IllegalStateException.class, assertThrows(Throwable.class, () -> call(annotated, "panics")).getClass());
        agent.registry.set("fx_panic", "panic");   // FreeBSD's plain panic: the point's own type, as before
        assertEquals(Annotated.KernelPanic.class, assertThrows(Throwable.class, () -> call(annotated, "panics")).getClass());
    }

    @Test
    void panicWithAClassThatCannotBeMadeThrowsThePointsOwnAndSaysSo() {
        agent.registry.set("fx_panic", "panic(com.nowhere.Gone)");
        String stderr = TestAgent.stderrOf(() ->
                assertEquals(Annotated.KernelPanic.class, assertThrows(Throwable.class, () -> call(annotated, "panics")).getClass()));
        assertTrue(stderr.contains("panic(com.nowhere.Gone)"), stderr);
    }

    @Test
    void aPanicTypeWithoutAStringConstructorFallsBackToFailPointPanic() {
        agent.registry.set("fx_panic_no_ctor", "panic");
        String stderr = TestAgent.stderrOf(() -> {
            Throwable thrown = assertThrows(Throwable.class, () -> call(annotated, "panicsWithoutConstructor"));
            assertEquals(FailPointPanic.class, thrown.getClass());
        });
        assertTrue(stderr.contains("has no public (String) constructor"), stderr);
    }

    @Test
    void unannotatedMethodsAndClassesAreNotTouched() throws Throwable {
        assertEquals(42, call(annotated, "plain"));
        byte[] unmarked = TestAgent.classFile(Unmarked.class.getName());
        assertNull(agent.transform(getClass().getClassLoader(), Unmarked.class.getName(), unmarked));
    }

    @Test
    void theGuardIsAnInvokedynamicBoundToTheBootstrap() {
        byte[] transformed = agent.transform(new TestAgent.OwnLoader(), Annotated.class.getName(),
                TestAgent.classFile(Annotated.class.getName()));
        assertNotNull(transformed);
        String pool = new String(transformed, StandardCharsets.ISO_8859_1);
        assertTrue(pool.contains("dev/jfail/bootstrap/Bootstrap"), "bootstrap method referenced");
        assertTrue(pool.contains("failpoint"), "indy name");
    }

    @Test
    void theCheckAddsSoFewBytesThatSmallMethodsStayInlineable() {
        byte[] original = TestAgent.classFile(Annotated.class.getName());
        byte[] transformed = agent.transform(new TestAgent.OwnLoader(), Annotated.class.getName(), original);
        Map<String, Integer> before = codeSizes(original);
        Map<String, Integer> after = codeSizes(transformed);
        assertEquals(before.get("answer()I") + 17, after.get("answer()I"));
        assertEquals(before.get("hook()V") + 10, after.get("hook()V"));
        assertEquals(before.get("plain()I"), after.get("plain()I"));
    }

    /** Each method's bytecode length, by name and descriptor, read from the class file's Code attributes. */
    private static Map<String, Integer> codeSizes(byte[] classFile) {
        ByteBuffer in = ByteBuffer.wrap(classFile);
        in.position(8);
        int poolCount = in.getShort() & 0xFFFF;
        String[] utf8 = new String[poolCount];
        for (int i = 1; i < poolCount; i++) {
            int tag = in.get();
            switch (tag) {
                case 1 -> {
                    byte[] bytes = new byte[in.getShort() & 0xFFFF];
                    in.get(bytes);
                    utf8[i] = new String(bytes, StandardCharsets.UTF_8);
                }
                case 5, 6 -> { in.position(in.position() + 8); i++; }
                case 7, 8, 16, 19, 20 -> in.position(in.position() + 2);
                case 15 -> in.position(in.position() + 3);
                default -> in.position(in.position() + 4);
            }
        }
        in.position(in.position() + 6);
        int interfaces = in.getShort() & 0xFFFF;
        in.position(in.position() + 2 * interfaces);
        for (int fields = in.getShort() & 0xFFFF; fields > 0; fields--) {
            in.position(in.position() + 6);
            skipAttributes(in);
        }
        Map<String, Integer> sizes = new HashMap<>();
        for (int methods = in.getShort() & 0xFFFF; methods > 0; methods--) {
            in.getShort();
            String name = utf8[in.getShort() & 0xFFFF] + utf8[in.getShort() & 0xFFFF];
            for (int attributes = in.getShort() & 0xFFFF; attributes > 0; attributes--) {
                String attribute = utf8[in.getShort() & 0xFFFF];
                int length = in.getInt();
                if (attribute.equals("Code")) {
                    sizes.put(name, in.getInt(in.position() + 4));
                }
                in.position(in.position() + length);
            }
        }
        return sizes;
    }

    private static void skipAttributes(ByteBuffer in) {
        for (int attributes = in.getShort() & 0xFFFF; attributes > 0; attributes--) {
            in.getShort();
            int length = in.getInt();
            in.position(in.position() + length);
        }
    }

    @Test
    void aDeclarationFromConfigurationMakesAnUnannotatedMethodAFailPoint() throws Throwable {
        agent.catalog.add(List.of(PointDeclaration.parse("cfg_len@" + Annotated.class.getName() + "#thirdParty(Ljava/lang/String;)")));
        Class<?> type = agent.load(Annotated.class.getName());
        agent.registry.set("cfg_len", "return(99)");
        assertEquals(99, call(type, "thirdParty", "abc"));
        assertEquals(4, call(type, "thirdParty", 4), "the overload the descriptor excludes stays as it was");
        assertTrue(agent.registry.status("cfg_len").sites().get(0).endsWith("thirdParty(java.lang.String)"));
    }

    @Test
    void theSiteIsDeclaredSoImpossibleSettingsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> agent.registry.set("fx_char", "return(-1)"));
        assertTrue(e.getMessage().contains(Annotated.class.getName() + ".letter()"), e.getMessage());
        assertEquals("off", agent.registry.get("fx_char"));
    }

    @Test
    void aMethodWithoutBodyIsReportedAndTheRestIsStillInstrumented() throws Throwable {
        String stderr = TestAgent.stderrOf(() -> agent.load(AbstractCarrier.class.getName()));
        assertTrue(stderr.contains("cannot put fail point fx_abstract on"), stderr);
        Class<?> type = agent.load(AbstractCarrier.class.getName());
        agent.registry.set("fx_concrete", "return(8)");
        assertEquals(8, call(type, "concrete"));
    }

    @Test
    void aClassTheAgentCannotParseIsReportedAndLeftAsItWas() {
        byte[] broken = TestAgent.classFile(Annotated.class.getName()).clone();
        broken[broken.length - 40] ^= 0x55; // corrupt the tail; the constant pool still names @FailPoint
        String stderr = TestAgent.stderrOf(() ->
                assertNull(agent.transform(new TestAgent.OwnLoader(), Annotated.class.getName(), broken)));
        assertTrue(stderr.startsWith("jfail: cannot instrument " + Annotated.class.getName()), stderr);
        assertTrue(stderr.contains("left as it was"), stderr);
    }

    @Test
    void aClassLoaderThatCannotSeeTheAgentIsReported() {
        byte[] bytes = TestAgent.classFile(Annotated.class.getName());
        ClassLoader isolated = new ClassLoader(null) { };
        String stderr = TestAgent.stderrOf(() -> assertNull(agent.transform(isolated, Annotated.class.getName(), bytes)));
        assertTrue(stderr.contains("cannot see the jfail agent's classes"), stderr);
    }

    @Test
    void aClassLoaderWithItsOwnCopyOfJfailIsReported() throws Exception {
        byte[] bytes = TestAgent.classFile(Annotated.class.getName());
        URL jfail = SlowPath.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader ownCopy = new URLClassLoader(new URL[] {jfail}, ClassLoader.getPlatformClassLoader())) {
            String stderr = TestAgent.stderrOf(() -> assertNull(agent.transform(ownCopy, Annotated.class.getName(), bytes)));
            assertTrue(stderr.contains("has a copy of jfail's classes of its own"), stderr);
        }
    }

    @Test
    void classFilesBeforeJava7GetAGuardWithoutInvokedynamic() throws Throwable {
        byte[] java6 = new ByteBuddy(ClassFileVersion.JAVA_V6)
                .subclass(Object.class)
                .name("dev.jfail.fixture.Legacy")
                .defineMethod("answer", int.class, Visibility.PUBLIC, Ownership.STATIC)
                .intercept(FixedValue.value(42))
                .annotateMethod(AnnotationDescription.Builder.ofType(FailPoint.class).define("value", "fx_legacy").build())
                .make()
                .getBytes();
        byte[] transformed = agent.transform(new TestAgent.OwnLoader(), "dev.jfail.fixture.Legacy", java6);
        assertNotNull(transformed);
        assertEquals(50, ClassFileScan.majorVersion(transformed));
        assertFalse(new String(transformed, StandardCharsets.ISO_8859_1).contains("dev/jfail/bootstrap/Bootstrap"));

        Class<?> legacy = agent.load("dev.jfail.fixture.Legacy", java6);
        assertEquals(42, call(legacy, "answer"));
        agent.registry.set("fx_legacy", "return(6)");
        assertEquals(6, call(legacy, "answer"));
        agent.registry.set("fx_legacy", "off");
        assertEquals(42, call(legacy, "answer"));
    }

    @Test
    void instrumentingTwiceFromTheOriginalBytesGivesTheSameClassFile() {
        byte[] original = TestAgent.classFile(Annotated.class.getName());
        TestAgent.OwnLoader loader = new TestAgent.OwnLoader();
        byte[] first = agent.transform(loader, Annotated.class.getName(), original);
        byte[] second = agent.transform(loader, Annotated.class.getName(), original);
        assertArrayEquals(first, second, "a retransformation must reuse the site numbers");
    }
}
