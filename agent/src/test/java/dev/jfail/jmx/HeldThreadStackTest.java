package dev.jfail.jmx;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A held thread's stack as --status and jconsole show it: from the user's frame down. */
class HeldThreadStackTest {

    private static StackTraceElement frame(String className, String method) {
        return new StackTraceElement(className, method, null, -1);
    }

    @Test
    void jfailsAndTheJdksFramesAboveTheUsersAreTrimmed() {
        StackTraceElement user = frame("com.foo.Cache", "refresh");
        List<StackTraceElement> stack = List.of(
                frame("jdk.internal.misc.Unsafe", "park"),
                frame("java.util.concurrent.locks.LockSupport", "park"),
                frame("dev.jfail.core.FailPointState", "pause"),
                frame("dev.jfail.agent.Hooks", "evaluate"),
                frame("java.lang.invoke.LambdaForm$DMH/0x0000000800c04000", "invokeStatic"),
                user,
                frame("com.foo.Main", "main"));
        assertEquals(List.of(user, frame("com.foo.Main", "main")), PointStatus.HeldThread.fromUsersFrame(stack));
    }

    @Test
    void aStackWithNoUserFrameIsKeptWhole() {
        List<StackTraceElement> stack = List.of(frame("java.lang.Thread", "sleep"), frame("java.lang.Thread", "run"));
        assertEquals(stack, PointStatus.HeldThread.fromUsersFrame(stack));
    }

    @Test
    void theKernelModelAndOtherDevJfailCodeAreTheUsers() {
        StackTraceElement model = frame("dev.jfail.kernel.vm.VmObject", "vm_object_backing_scan");
        assertEquals(List.of(model), PointStatus.HeldThread.fromUsersFrame(List.of(frame("dev.jfail.core.FailPointState", "pause"), model)));
    }
}
