package dev.jfail.tooling;

import dev.jfail.bootstrap.Bootstrap;
import dev.jfail.bootstrap.ForcedReturn;
import dev.jfail.bootstrap.LegacyGuards;
import net.bytebuddy.jar.asm.Handle;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The failpoint checks of the points inside one method (every {@link Position} but entry), put in
 * the method's code as it streams by. Each check is one call without a branch, so the code around
 * it keeps its frames:
 *
 * <pre>
 * line, before/after a call, a monitorenter
 * or a read of a field:                         invokedynamic at()V               // off: nothing
 * before each return:                           invokedynamic exit(T)T            // off: identity
 * a handler around the method for what leaves:  invokedynamic thrown(Throwable)T  // off: rethrow
 * </pre>
 *
 * {@code return(n)} inside the method throws {@link ForcedReturn}, which a handler around the whole
 * method (after the method's own handlers) turns into the return, so {@code finally} blocks run and
 * synchronized blocks are left as a {@code return} statement would leave them. Class files before
 * Java 7 call the same targets through {@link LegacyGuards} instead of invokedynamic, and before
 * Java 6 get no frames.
 */
public final class Probes {

    /** One point of the method: its site number and where it sits. */
    record Probe(int site, Position position) {
    }

    private static final String FORCED = Type.getInternalName(ForcedReturn.class);
    private static final String THROWABLE = "java/lang/Throwable";
    private static final String OBJECT = "java/lang/Object";
    private static final Handle BOOTSTRAP = GuardPrologue.BOOTSTRAP;

    private final List<Probe> probes;
    private final boolean indy;
    private final boolean frames;

    /**
     * @param probes the method's points (none at entry)
     * @param indy   whether the class file may use invokedynamic (Java 7 on)
     * @param frames whether it carries stack map frames (Java 6 on)
     */
    Probes(List<Probe> probes, boolean indy, boolean frames) {
        this.probes = List.copyOf(probes);
        this.indy = indy;
        this.frames = frames;
    }

    /** {@code visitor} with the checks of this method ({@code descriptor}) in its code. */
    MethodVisitor wrap(MethodVisitor visitor, String descriptor) {
        return new ProbeVisitor(visitor, Type.getReturnType(descriptor));
    }

    private final class ProbeVisitor extends MethodVisitor {
        private final Type returnType;
        private final List<Probe> exits = new ArrayList<>();
        private final int[] seen;
        private final Set<Integer> linesDone = new HashSet<>();
        private final List<Probe> pending = new ArrayList<>();
        /** The method's try/catch blocks, forwarded after its code so that ours come last. */
        private final List<Object[]> tryCatch = new ArrayList<>();
        /** Where the method's code may throw to our handlers: pairs of start and end labels. */
        private final List<Label> ranges = new ArrayList<>();
        private Label rangeStart;
        private int instructionsInRange;
        private int monitors;
        private Label afterMonitor;
        private boolean tailDone;

        ProbeVisitor(MethodVisitor visitor, Type returnType) {
            super(ClassFiles.ASM_API, visitor);
            this.returnType = returnType;
            this.seen = new int[probes.size()];
            for (Probe p : probes) {
                if (p.position().kind() == Position.Kind.EXIT) {
                    exits.add(p);
                }
            }
        }

        @Override
        public void visitCode() {
            super.visitCode();
            rangeStart = new Label();
            super.visitLabel(rangeStart);
        }

        @Override
        public void visitTryCatchBlock(Label start, Label end, Label handler, String type) {
            tryCatch.add(new Object[] {start, end, handler, type});
        }

        @Override
        public void visitLabel(Label label) {
            if (afterMonitor != null) {
                // a synchronized block's handlers start right after monitorenter: make them cover our check
                for (Object[] block : tryCatch) {
                    if (block[0] == label && block[3] == null) {
                        block[0] = afterMonitor;
                    }
                }
                afterMonitor = null;
            }
            super.visitLabel(label);
        }

        @Override
        public void visitLineNumber(int line, Label start) {
            super.visitLineNumber(line, start);
            if (linesDone.add(line)) {
                for (Probe p : probes) {
                    if (p.position().kind() == Position.Kind.LINE && p.position().line() == line) {
                        pending.add(p);
                    }
                }
            }
        }

        /** Before each of the method's own instructions: the checks waiting for it. */
        private void beforeInstruction() {
            afterMonitor = null;
            for (Probe p : pending) {
                at(p);
            }
            pending.clear();
            instructionsInRange++;
        }

        private boolean nth(int index, Probe p) {
            seen[index]++;
            return p.position().ordinal() == 0 || p.position().ordinal() == seen[index];
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
            beforeInstruction();
            List<Probe> after = new ArrayList<>();
            for (int i = 0; i < probes.size(); i++) {
                Probe p = probes.get(i);
                if (p.position().isCall() && p.position().matchesCall(owner, name, descriptor) && nth(i, p)) {
                    if (p.position().kind() == Position.Kind.BEFORE_CALL) {
                        at(p);
                    } else {
                        after.add(p);
                    }
                }
            }
            super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
            for (Probe p : after) {
                at(p);
            }
        }

        @Override
        public void visitInsn(int opcode) {
            beforeInstruction();
            if (opcode == Opcodes.MONITORENTER) {
                monitors++;
                List<Probe> after = new ArrayList<>();
                for (int i = 0; i < probes.size(); i++) {
                    Probe p = probes.get(i);
                    if (p.position().isSync() && nth(i, p)) {
                        if (p.position().kind() == Position.Kind.BEFORE_SYNC) {
                            at(p);
                        } else {
                            after.add(p);
                        }
                    }
                }
                super.visitInsn(opcode);
                if (!after.isEmpty()) {
                    afterMonitor = new Label();
                    super.visitLabel(afterMonitor);
                    for (Probe p : after) {
                        at(p);
                    }
                }
                return;
            }
            if (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN && !exits.isEmpty()) {
                // the exit checks are outside the handler's ranges: a panic there leaves the method
                instructionsInRange--; // the return itself comes after them
                closeRange();
                exitChecks();
                rangeStart = new Label();
                super.visitLabel(rangeStart);
                super.visitInsn(opcode);
                instructionsInRange = 1;
                return;
            }
            super.visitInsn(opcode);
        }

        @Override
        public void visitIntInsn(int opcode, int operand) {
            beforeInstruction();
            super.visitIntInsn(opcode, operand);
        }

        @Override
        public void visitVarInsn(int opcode, int var) {
            beforeInstruction();
            super.visitVarInsn(opcode, var);
        }

        @Override
        public void visitTypeInsn(int opcode, String type) {
            beforeInstruction();
            super.visitTypeInsn(opcode, type);
        }

        @Override
        public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
            beforeInstruction();
            if (opcode != Opcodes.GETFIELD && opcode != Opcodes.GETSTATIC) {
                super.visitFieldInsn(opcode, owner, name, descriptor);
                return;
            }
            List<Probe> after = new ArrayList<>();
            for (int i = 0; i < probes.size(); i++) {
                Probe p = probes.get(i);
                if (p.position().isField() && p.position().matchesField(owner, name) && nth(i, p)) {
                    if (p.position().kind() == Position.Kind.BEFORE_FIELD) {
                        at(p);
                    } else {
                        after.add(p);
                    }
                }
            }
            super.visitFieldInsn(opcode, owner, name, descriptor);
            for (Probe p : after) {
                at(p); // the value read stays on the stack, untouched by the check
            }
        }

        @Override
        public void visitInvokeDynamicInsn(String name, String descriptor, Handle bootstrap, Object... arguments) {
            beforeInstruction();
            super.visitInvokeDynamicInsn(name, descriptor, bootstrap, arguments);
        }

        @Override
        public void visitJumpInsn(int opcode, Label label) {
            beforeInstruction();
            super.visitJumpInsn(opcode, label);
        }

        @Override
        public void visitLdcInsn(Object value) {
            beforeInstruction();
            super.visitLdcInsn(value);
        }

        @Override
        public void visitIincInsn(int var, int increment) {
            beforeInstruction();
            super.visitIincInsn(var, increment);
        }

        @Override
        public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
            beforeInstruction();
            super.visitTableSwitchInsn(min, max, dflt, labels);
        }

        @Override
        public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
            beforeInstruction();
            super.visitLookupSwitchInsn(dflt, keys, labels);
        }

        @Override
        public void visitMultiANewArrayInsn(String descriptor, int numDimensions) {
            beforeInstruction();
            super.visitMultiANewArrayInsn(descriptor, numDimensions);
        }

        @Override
        public void visitLocalVariable(String name, String descriptor, String signature, Label start, Label end,
                                       int index) {
            tail();
            super.visitLocalVariable(name, descriptor, signature, start, end, index);
        }

        @Override
        public net.bytebuddy.jar.asm.AnnotationVisitor visitLocalVariableAnnotation(
                int typeRef, net.bytebuddy.jar.asm.TypePath typePath, Label[] start, Label[] end, int[] index,
                String descriptor, boolean visible) {
            tail();
            return super.visitLocalVariableAnnotation(typeRef, typePath, start, end, index, descriptor, visible);
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            tail();
            super.visitMaxs(maxStack + 3, maxLocals);
        }

        // --- what we add --------------------------------------------------------------------

        /** A point at a line, a call or a monitor. */
        private void at(Probe p) {
            instructionsInRange++;
            if (indy) {
                super.visitInvokeDynamicInsn(Bootstrap.AT, "()V", BOOTSTRAP, p.site());
            } else {
                LegacyGuards.call(mv, p.site(), Bootstrap.AT, "()V");
            }
        }

        /** Every exit point's check on the value about to be returned (on the stack), in turn. */
        private void exitChecks() {
            for (Probe p : exits) {
                exitCheck(p);
            }
        }

        private void exitCheck(Probe p) {
            String d = indy ? returnType.getDescriptor() : erased();
            String descriptor = returnType.getSort() == Type.VOID ? "()V" : "(" + d + ")" + d;
            if (indy) {
                super.visitInvokeDynamicInsn(Bootstrap.EXIT, descriptor, BOOTSTRAP, p.site());
            } else {
                LegacyGuards.call(mv, p.site(), Bootstrap.EXIT, descriptor);
                castBack();
            }
        }

        /** The return type as an old class file's check carries it: references as {@code Object}. */
        private String erased() {
            int sort = returnType.getSort();
            return sort == Type.OBJECT || sort == Type.ARRAY ? "L" + OBJECT + ";" : returnType.getDescriptor();
        }

        private void castBack() {
            int sort = returnType.getSort();
            if ((sort == Type.OBJECT || sort == Type.ARRAY) && !returnType.getInternalName().equals(OBJECT)) {
                super.visitTypeInsn(Opcodes.CHECKCAST, returnType.getInternalName());
            }
        }

        private void closeRange() {
            Label end = new Label();
            super.visitLabel(end);
            if (instructionsInRange > 0) {
                ranges.add(rangeStart);
                ranges.add(end);
            }
            instructionsInRange = 0;
        }

        /** After the method's last instruction: our handlers, then every try/catch block in order. */
        private void tail() {
            if (tailDone) {
                return;
            }
            tailDone = true;
            closeRange();
            List<Object[]> ours = new ArrayList<>();
            if (exits.size() < probes.size()) {
                Label forced = handler(FORCED);
                super.visitMethodInsn(Opcodes.INVOKEVIRTUAL, FORCED, "value", "()L" + OBJECT + ";", false);
                unbox();
                exitChecks();
                super.visitInsn(returnType.getOpcode(Opcodes.IRETURN));
                cover(ours, forced, FORCED);
            }
            for (Probe p : exits) {
                Label thrown = handler(THROWABLE);
                Label checkStart = new Label();
                super.visitLabel(checkStart);
                thrownCheck(p);
                Label checkEnd = new Label();
                super.visitLabel(checkEnd);
                super.visitInsn(returnType.getOpcode(Opcodes.IRETURN));
                cover(ours, thrown, null);
                // the next exit point sees what this one lets through
                ranges.clear();
                ranges.add(checkStart);
                ranges.add(checkEnd);
            }
            for (Object[] block : tryCatch) {
                super.visitTryCatchBlock((Label) block[0], (Label) block[1], (Label) block[2], (String) block[3]);
            }
            for (Object[] block : ours) {
                super.visitTryCatchBlock((Label) block[0], (Label) block[1], (Label) block[2], (String) block[3]);
            }
        }

        private void cover(List<Object[]> blocks, Label handler, String type) {
            for (int i = 0; i < ranges.size(); i += 2) {
                blocks.add(new Object[] {ranges.get(i), ranges.get(i + 1), handler, type});
            }
        }

        /** A handler's start: nothing but the exception on the stack. */
        private Label handler(String exceptionType) {
            Label handler = new Label();
            super.visitLabel(handler);
            if (frames) {
                super.visitFrame(Opcodes.F_NEW, 0, new Object[0], 1, new Object[] {exceptionType});
            }
            return handler;
        }

        /** The exception leaving the method on the stack: the value to return instead, or a throw. */
        private void thrownCheck(Probe p) {
            if (indy) {
                super.visitInvokeDynamicInsn(Bootstrap.THROWN, "(L" + THROWABLE + ";)" + returnType.getDescriptor(),
                        BOOTSTRAP, p.site());
                return;
            }
            LegacyGuards.call(mv, p.site(), Bootstrap.THROWN, "(L" + THROWABLE + ";)" + erased());
            castBack();
        }

        /** The boxed value on the stack as the method's return type (the exact box ReturnValues makes). */
        private void unbox() {
            String box = switch (returnType.getSort()) {
                case Type.VOID -> null;
                case Type.INT -> "java/lang/Integer";
                case Type.LONG -> "java/lang/Long";
                case Type.SHORT -> "java/lang/Short";
                case Type.BYTE -> "java/lang/Byte";
                case Type.CHAR -> "java/lang/Character";
                case Type.BOOLEAN -> "java/lang/Boolean";
                case Type.FLOAT -> "java/lang/Float";
                case Type.DOUBLE -> "java/lang/Double";
                default -> "";
            };
            if (box == null) {
                super.visitInsn(Opcodes.POP);
            } else if (box.isEmpty()) {
                if (!returnType.getInternalName().equals(OBJECT)) {
                    super.visitTypeInsn(Opcodes.CHECKCAST, returnType.getInternalName());
                }
            } else {
                super.visitTypeInsn(Opcodes.CHECKCAST, box);
                super.visitMethodInsn(Opcodes.INVOKEVIRTUAL, box, returnType.getClassName() + "Value",
                        "()" + returnType.getDescriptor(), false);
            }
        }
    }
}
