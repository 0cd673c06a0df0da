package dev.jfail.jmx;

import dev.jfail.FailPointStatus;

import javax.management.ConstructorParameters;
import java.util.List;
import java.util.Map;

/** {@link FailPointStatus} in the shape JMX carries (getters and open types). */
public final class PointStatus {

    private final String name;
    private final String setting;
    private final boolean declared;
    private final List<String> sites;
    private final long evaluations;
    private final Map<String, Long> fired;
    private final List<HeldThread> threads;

    @ConstructorParameters({"name", "setting", "declared", "sites", "evaluations", "fired", "threads"})
    public PointStatus(String name, String setting, boolean declared, List<String> sites, long evaluations,
                       Map<String, Long> fired, List<HeldThread> threads) {
        this.name = name;
        this.setting = setting;
        this.declared = declared;
        this.sites = List.copyOf(sites);
        this.evaluations = evaluations;
        this.fired = Map.copyOf(fired);
        this.threads = List.copyOf(threads);
    }

    static PointStatus of(FailPointStatus s) {
        return new PointStatus(s.name(), s.setting(), s.declared(), s.sites(), s.evaluations(), s.fired(),
                s.threads().stream().map(HeldThread::of).toList());
    }

    public String getName() {
        return name;
    }

    public String getSetting() {
        return setting;
    }

    public boolean isDeclared() {
        return declared;
    }

    public List<String> getSites() {
        return sites;
    }

    public long getEvaluations() {
        return evaluations;
    }

    public Map<String, Long> getFired() {
        return fired;
    }

    public List<HeldThread> getThreads() {
        return threads;
    }

    /** A thread sleeping, delaying or paused in the point, with its stack as text. */
    public static final class HeldThread {
        private final String threadName;
        private final long threadId;
        private final String state;
        private final List<String> stack;

        @ConstructorParameters({"threadName", "threadId", "state", "stack"})
        public HeldThread(String threadName, long threadId, String state, List<String> stack) {
            this.threadName = threadName;
            this.threadId = threadId;
            this.state = state;
            this.stack = List.copyOf(stack);
        }

        static HeldThread of(FailPointStatus.ThreadInPoint t) {
            return new HeldThread(t.threadName(), t.threadId(), t.state().name(),
                    fromUsersFrame(t.stack()).stream().map(StackTraceElement::toString).toList());
        }

        /**
         * {@code stack} from the first frame of the user's code: the frames above it (the JDK's sleep
         * or park, jfail's evaluation, the method handles that call it) say nothing to the user.
         * The whole stack when no frame is the user's.
         */
        static List<StackTraceElement> fromUsersFrame(List<StackTraceElement> stack) {
            for (int i = 0; i < stack.size(); i++) {
                if (!isMachinery(stack.get(i).getClassName())) {
                    return stack.subList(i, stack.size());
                }
            }
            return stack;
        }

        private static boolean isMachinery(String className) {
            return className.startsWith("java.") || className.startsWith("jdk.") || className.startsWith("sun.")
                    || className.contains("LambdaForm$") || className.contains("$$Lambda")
                    || className.startsWith("dev.jfail.core.") || className.startsWith("dev.jfail.agent.")
                    || className.startsWith("dev.jfail.shaded.") || className.startsWith("dev.jfail.FailPoints")
                    || className.startsWith("dev.jfail.Hold");
        }

        public String getThreadName() {
            return threadName;
        }

        public long getThreadId() {
            return threadId;
        }

        public String getState() {
            return state;
        }

        public List<String> getStack() {
            return stack;
        }
    }
}
