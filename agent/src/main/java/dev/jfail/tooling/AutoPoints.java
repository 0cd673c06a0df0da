package dev.jfail.tooling;

import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.FieldVisitor;
import net.bytebuddy.jar.asm.Handle;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The points {@code auto@} puts in one class: every place where a thread's timing decides what
 * another thread sees, each as the explicit {@link PointDeclaration} it is equivalent to, so a test
 * can declare the one that matters without {@code auto@}. In each method with code (constructors,
 * static initialisers and bridges excepted) that touches shared state (reads or writes a field other
 * than the class's own finals, takes a monitor, or calls one of the methods below; or is synchronized):
 *
 * <pre>
 * entry, exit                                 where return(n) and panic inject a failure
 * before/after each synchronized block's monitorenter
 * before/after each call of                   Object.wait/notify/notifyAll, Thread.start/join,
 *                                             java.util.concurrent's locks, conditions, latches, barriers,
 *                                             semaphores, phasers, atomics' compare-and-set, get-and-set and
 *                                             increments, VarHandle's and Unsafe's compare-and-set, LockSupport
 * after each read of a field that a branch    a check-then-act: if (ref_count == 0), while (!done);
 *   tests a few instructions later            not the class's own final fields, not the JDK's fields
 * after each query of a java.util collection  the same check made through a call: if (map.containsKey(k)),
 *   that a branch tests                       if (queue.isEmpty()) (a final field may hold a shared map)
 * </pre>
 *
 * A method that touches no shared state (a pure function, a delegation) gets none: in a utility
 * library they are most methods, and a delay or a failure there is one in their callers, which have
 * their own points. Names are {@code Class.method.KIND} for entry and exit, {@code Class.method.KIND_WHAT_K} inside
 * (K counts that kind and callee or field in the method, from 1), e.g. {@code Pool.borrow.entry},
 * {@code Pool.borrow.after_lock_1}, {@code Pool.borrow.before_sync_2},
 * {@code Pool.borrow.after_read_count_1}; an overloaded method's n-th descriptor (in sorted order,
 * n ≥ 2) is {@code method-n}. They depend only on the class file, so a class retransformed later
 * gets the same names as one loaded after the declaration.
 */
final class AutoPoints {

    /** How many instructions may come between a field's read and the branch that tests it. */
    private static final int CHECK_WINDOW = 4;

    /** Methods of {@code java.util.concurrent} (and below) that hand timing from one thread to another. */
    private static final Set<String> CONCURRENT = Set.of(
            "lock", "lockInterruptibly", "tryLock", "unlock",
            "await", "awaitNanos", "awaitUninterruptibly", "awaitUntil", "signal", "signalAll",
            "countDown", "acquire", "acquireUninterruptibly", "tryAcquire", "release",
            "arrive", "arriveAndAwaitAdvance", "arriveAndDeregister", "awaitAdvance",
            "park", "parkNanos", "parkUntil", "unpark",
            "compareAndSet", "weakCompareAndSet", "weakCompareAndSetPlain", "weakCompareAndSetVolatile",
            "weakCompareAndSetAcquire", "weakCompareAndSetRelease", "compareAndExchange",
            "compareAndExchangeAcquire", "compareAndExchangeRelease", "getAndSet",
            "getAndIncrement", "getAndDecrement", "incrementAndGet", "decrementAndGet",
            "getAndAdd", "addAndGet", "getAndUpdate", "updateAndGet", "getAndAccumulate", "accumulateAndGet");
    /** VarHandle's and Unsafe's compare-and-set family (their names start so). */
    private static final String[] CAS_PREFIXES = {"compareAndSet", "compareAndSwap", "compareAndExchange",
            "weakCompareAndSet", "getAndSet"};

    private AutoPoints() {
    }

    /** The automatic points of the class file, method by method (sorted), each in code order. */
    static List<PointDeclaration> of(byte[] classFile) {
        ClassReader reader = ClassFiles.reader(classFile);
        String internalName = reader.getClassName();
        String className = internalName.replace('/', '.');
        String simple = safe(internalName.substring(internalName.lastIndexOf('/') + 1));
        Set<String> finals = new HashSet<>();
        List<Found> methods = new ArrayList<>();
        reader.accept(new ClassVisitor(ClassFiles.ASM_API) {
            @Override
            public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
                if ((access & Opcodes.ACC_FINAL) != 0) {
                    finals.add(name);
                }
                return null;
            }

            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                if (name.startsWith("<") || (access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE | Opcodes.ACC_BRIDGE)) != 0) {
                    return null;
                }
                Found found = new Found(name, descriptor);
                found.touchesState = (access & Opcodes.ACC_SYNCHRONIZED) != 0;
                methods.add(found);
                return new Sites(internalName, finals, found);
            }
        }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        // (no lambdas here: this runs while the application loads its classes, see Instrumenter)
        methods.sort(new Comparator<Found>() {
            @Override
            public int compare(Found a, Found b) {
                int byName = a.name.compareTo(b.name);
                return byName != 0 ? byName : a.descriptor.compareTo(b.descriptor);
            }
        });
        List<PointDeclaration> points = new ArrayList<>();
        for (int i = 0; i < methods.size(); i++) {
            Found m = methods.get(i);
            if (!m.touchesState) {
                continue;
            }
            int overload = 1;
            for (int j = i - 1; j >= 0 && methods.get(j).name.equals(m.name); j--) {
                overload++;
            }
            String prefix = simple + "." + safe(m.name) + (overload == 1 ? "" : "-" + overload) + ".";
            points.add(new PointDeclaration(prefix + "entry", className, m.name, m.descriptor, Position.ENTRY));
            for (Site s : m.sites) {
                points.add(new PointDeclaration(prefix + s.label, className, m.name, m.descriptor, s.position));
            }
            points.add(new PointDeclaration(prefix + "exit", className, m.name, m.descriptor, Position.EXIT));
        }
        return points;
    }

    /** A name part a declaration can carry: letters, digits, {@code _ . $ -}. */
    private static String safe(String part) {
        StringBuilder s = new StringBuilder(part.length());
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            s.append(c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '$' || c == '-') ? c : '_');
        }
        return s.toString();
    }

    /** One method and the points inside it, in code order. */
    private static final class Found {
        final String name;
        final String descriptor;
        final List<Site> sites = new ArrayList<>();
        boolean touchesState;

        Found(String name, String descriptor) {
            this.name = name;
            this.descriptor = descriptor;
        }
    }

    /** A point inside a method: the label in its name ({@code after_lock_1}) and its position. */
    private record Site(String label, Position position) {
    }

    /** A field read waiting for the branch that would make it a check. */
    private static final class PendingRead {
        final Position position;
        int left = CHECK_WINDOW;

        PendingRead(Position position) {
            this.position = position;
        }
    }

    /** Walks one method's code and collects its sites. */
    private static final class Sites extends MethodVisitor {
        private final String owner;
        private final Set<String> finals;
        private final Found found;
        /** Per name label ({@code lock}, {@code sync}, {@code read_count}): how many so far, for K in names. */
        private final Map<String, Integer> labels = new HashMap<>();
        /** Per exact callee or field: how many so far, for #K in positions. */
        private final Map<String, Integer> ordinals = new HashMap<>();
        private final List<PendingRead> pending = new ArrayList<>();
        private int monitors;

        Sites(String owner, Set<String> finals, Found found) {
            super(ClassFiles.ASM_API);
            this.owner = owner;
            this.finals = finals;
            this.found = found;
        }

        private int next(Map<String, Integer> counts, String key) {
            Integer known = counts.get(key);
            int n = known == null ? 1 : known + 1;
            counts.put(key, n);
            return n;
        }

        private void around(String what, Position.Kind before, Position.Kind after, String calleeOwner, String callee,
                            String descriptor, int ordinal) {
            int k = next(labels, what);
            found.sites.add(new Site("before_" + what + "_" + k, new Position(before, 0, calleeOwner, callee, descriptor, ordinal)));
            found.sites.add(new Site("after_" + what + "_" + k, new Position(after, 0, calleeOwner, callee, descriptor, ordinal)));
        }

        /** An instruction that ends any check in the making (a call, a store, a jump out...). */
        private void breaks() {
            pending.clear();
        }

        /** An instruction a check may contain (a load, a constant, arithmetic). */
        private void passes() {
            for (Iterator<PendingRead> i = pending.iterator(); i.hasNext(); ) {
                if (--i.next().left < 0) {
                    i.remove();
                }
            }
        }

        /** A branch: the reads (of a field, or of a collection through a call) just before it were checks. */
        private void checks() {
            for (PendingRead p : pending) {
                String what = (p.position.kind() == Position.Kind.AFTER_CALL ? "check_" : "read_") + safe(p.position.callee());
                found.sites.add(new Site("after_" + what + "_" + next(labels, what), p.position));
                found.touchesState = true;
            }
            pending.clear();
        }

        @Override
        public void visitInsn(int opcode) {
            if (opcode == Opcodes.MONITORENTER) {
                breaks();
                found.touchesState = true;
                monitors++;
                around("sync", Position.Kind.BEFORE_SYNC, Position.Kind.AFTER_SYNC, "", "", "", monitors);
            } else if (opcode == Opcodes.MONITOREXIT || opcode == Opcodes.ATHROW
                    || (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN)
                    || (opcode >= Opcodes.IASTORE && opcode <= Opcodes.SASTORE)) {
                breaks();
            } else {
                passes();
            }
        }

        @Override
        public void visitMethodInsn(int opcode, String calleeOwner, String name, String descriptor, boolean isInterface) {
            breaks();
            if (concurrent(calleeOwner, name, descriptor)) {
                found.touchesState = true;
                String owner = calleeOwner.replace('/', '.');
                int ordinal = next(ordinals, calleeOwner + "." + name + descriptor);
                around(safe(name), Position.Kind.BEFORE_CALL, Position.Kind.AFTER_CALL, owner, name, descriptor, ordinal);
            } else if (asksACollection(calleeOwner, descriptor)) {
                // if (map.containsKey(k)), if (queue.isEmpty()): a check of shared state through a call
                int ordinal = next(ordinals, calleeOwner + "." + name + descriptor);
                pending.add(new PendingRead(new Position(Position.Kind.AFTER_CALL, 0, calleeOwner.replace('/', '.'),
                        name, descriptor, ordinal)));
            }
        }

        @Override
        public void visitFieldInsn(int opcode, String fieldOwner, String name, String descriptor) {
            if (!(fieldOwner.equals(owner) && finals.contains(name))) {
                found.touchesState = true;
            }
            if (opcode != Opcodes.GETFIELD && opcode != Opcodes.GETSTATIC) {
                breaks();
                return;
            }
            passes();
            int ordinal = next(ordinals, fieldOwner + "." + name);
            if (shared(fieldOwner, name)) {
                pending.add(new PendingRead(new Position(Position.Kind.AFTER_FIELD, 0, fieldOwner.replace('/', '.'),
                        name, "", ordinal)));
            }
        }

        /** Whether a read of the field may see another thread's write: not a final of this class, not the JDK's, not javac's. */
        private boolean shared(String fieldOwner, String name) {
            if (fieldOwner.equals(owner) && finals.contains(name)) {
                return false;
            }
            return !fieldOwner.startsWith("java/") && !fieldOwner.startsWith("jdk/") && !fieldOwner.startsWith("sun/")
                    && !name.startsWith("$") && !name.startsWith("this$");
        }

        @Override
        public void visitJumpInsn(int opcode, Label label) {
            if (opcode == Opcodes.GOTO || opcode == Opcodes.JSR) {
                breaks();
            } else {
                checks();
            }
        }

        @Override
        public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
            checks();
        }

        @Override
        public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
            checks();
        }

        @Override
        public void visitVarInsn(int opcode, int var) {
            if (opcode >= Opcodes.ISTORE && opcode <= Opcodes.ASTORE || opcode == Opcodes.RET) {
                breaks();
            } else {
                passes();
            }
        }

        @Override
        public void visitIntInsn(int opcode, int operand) {
            passes();
        }

        @Override
        public void visitLdcInsn(Object value) {
            passes();
        }

        @Override
        public void visitTypeInsn(int opcode, String type) {
            if (opcode == Opcodes.INSTANCEOF || opcode == Opcodes.CHECKCAST) {
                passes();
            } else {
                breaks();
            }
        }

        @Override
        public void visitIincInsn(int var, int increment) {
            breaks();
        }

        @Override
        public void visitInvokeDynamicInsn(String name, String descriptor, Handle bootstrap, Object... arguments) {
            breaks();
        }

        @Override
        public void visitMultiANewArrayInsn(String descriptor, int numDimensions) {
            breaks();
        }

        @Override
        public void visitLabel(Label label) {
            breaks(); // a branch target: what follows is not the same straight line of code
        }
    }

    /** A query of a collection (java.util's, the concurrent ones included) whose answer a branch may test. */
    static boolean asksACollection(String owner, String descriptor) {
        return owner.startsWith("java/util/") && !owner.startsWith("java/util/concurrent/atomic/")
                && !owner.startsWith("java/util/function/") && !owner.startsWith("java/util/stream/")
                && !descriptor.endsWith(")V") && !owner.equals("java/util/Objects");
    }

    /** Whether a call hands timing from one thread to another (see the class comment). */
    static boolean concurrent(String owner, String name, String descriptor) {
        switch (name) {
            case "wait":
                if (descriptor.equals("()V") || descriptor.equals("(J)V") || descriptor.equals("(JI)V")) {
                    return true; // Object's, final: whatever class the call names
                }
                break;
            case "notify", "notifyAll":
                if (descriptor.equals("()V")) {
                    return true;
                }
                break;
            case "start", "join":
                if (owner.equals("java/lang/Thread")) {
                    return true;
                }
                break;
            default:
                break;
        }
        if (owner.startsWith("java/util/concurrent/")) {
            return CONCURRENT.contains(name);
        }
        if (owner.equals("java/lang/invoke/VarHandle") || owner.equals("sun/misc/Unsafe")
                || owner.equals("jdk/internal/misc/Unsafe")) {
            for (String prefix : CAS_PREFIXES) {
                if (name.startsWith(prefix)) {
                    return true;
                }
            }
        }
        return false;
    }
}
