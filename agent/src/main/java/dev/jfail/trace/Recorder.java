package dev.jfail.trace;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The in-process flight recorder of failpoint events: bounded, one ring per thread, no lock on the
 * path that writes (a thread appends to its own ring; the run's sequence number is one atomic
 * increment). A run is what lies between two {@link #begin} calls: the runner and the test
 * extensions begin one before each run or test and take a {@link #snapshot()} when it failed.
 *
 * <p>It records only between {@link #begin} and {@link #end()} (or from the start with
 * {@code -Djfail.recorder=on}); otherwise an armed point pays one volatile read for it. Only armed
 * points write here: an off point never reaches the evaluation.
 */
public final class Recorder {

    /** Events kept per thread and run unless {@link #begin(int)} says otherwise. */
    public static final int DEFAULT_CAPACITY = 2048;
    /** Threads kept per run: the rings of the oldest threads are dropped beyond this. */
    public static final int MAX_THREADS = 256;

    /** Whether the recorder records; read by every armed evaluation. */
    static volatile boolean on = "on".equals(System.getProperty("jfail.recorder"));
    private static volatile Run current = new Run(DEFAULT_CAPACITY);
    private static final ThreadLocal<Ring> RING = new ThreadLocal<>();

    private Recorder() {
    }

    /** Starts a new run with the default capacity: sequence numbers from 1, every ring empty. */
    public static void begin() {
        begin(DEFAULT_CAPACITY);
    }

    /** Starts a new run keeping up to {@code capacityPerThread} events of each thread. */
    public static void begin(int capacityPerThread) {
        if (capacityPerThread < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, not " + capacityPerThread);
        }
        FailPointTrace.install(); // without the agent (a unit test of the registry), the recorder still hears the crossings
        current = new Run(capacityPerThread);
        on = true;
    }

    /** Stops recording; {@link #snapshot()} still gives what the run kept. */
    public static void end() {
        on = false;
    }

    /** Whether the recorder records now. */
    public static boolean recording() {
        return on;
    }

    /** The next sequence number of the current run. */
    static long nextSeq() {
        return current.seq.incrementAndGet();
    }

    /** Appends an event to the calling thread's ring of the current run. */
    public static void add(TraceEvent e) {
        ring().add(e);
    }

    /**
     * The stack of {@code point}'s first fire in the calling thread during this run: walked once per
     * thread and point (a walk costs microseconds; a point is nearly always reached the same way).
     */
    static String stackOf(String point) {
        Ring ring = ring();
        return ring.stacks.computeIfAbsent(point, FailPointTrace::stack);
    }

    private static Ring ring() {
        Run run = current;
        Ring ring = RING.get();
        if (ring == null || ring.run != run) {
            ring = run.register(Thread.currentThread());
            RING.set(ring);
        }
        return ring;
    }

    /** Everything the current run kept, in the order it happened. */
    public static Record snapshot() {
        return current.snapshot();
    }

    /** What a run kept. */
    public record Record(long beginNanos, List<TraceEvent> events, List<String> overflowed) {

        /** The crossings of armed points, in their recorded order. */
        public List<TraceEvent> crossings() {
            return events.stream().filter(TraceEvent::isCrossing).toList();
        }

        /** Whether every event of the run was kept (no ring wrapped, no thread dropped). */
        public boolean complete() {
            return overflowed.isEmpty();
        }

        /** This record with {@code more} events (e.g. a model's own log) merged in by time. */
        public Record merge(List<TraceEvent> more) {
            List<TraceEvent> all = new ArrayList<>(events);
            all.addAll(more);
            all.sort(ORDER);
            return new Record(beginNanos, List.copyOf(all), overflowed);
        }

        /** Whether any failpoint was crossed in this run. */
        public boolean touchedFailPoints() {
            return events.stream().anyMatch(TraceEvent::isCrossing);
        }
    }

    /** By time; failpoint events of equal time by sequence number. */
    static final Comparator<TraceEvent> ORDER = Comparator.comparingLong(TraceEvent::nanos)
            .thenComparingLong(TraceEvent::seq);

    private static final class Run {
        final int capacity;
        final long beginNanos = System.nanoTime();
        final AtomicLong seq = new AtomicLong();
        final ConcurrentLinkedQueue<Ring> rings = new ConcurrentLinkedQueue<>();
        final AtomicInteger ringCount = new AtomicInteger();
        final ConcurrentLinkedQueue<String> dropped = new ConcurrentLinkedQueue<>();

        Run(int capacity) {
            this.capacity = capacity;
        }

        /** Once per thread and run: not the hot path. */
        Ring register(Thread t) {
            Ring ring = new Ring(this, t.getName(), capacity);
            rings.add(ring);
            if (ringCount.incrementAndGet() > MAX_THREADS) {
                Ring oldest = rings.poll();
                if (oldest != null) {
                    ringCount.decrementAndGet();
                    dropped.add(oldest.threadName + " (dropped: more than " + MAX_THREADS + " threads)");
                }
            }
            return ring;
        }

        Record snapshot() {
            List<TraceEvent> all = new ArrayList<>();
            List<String> overflowed = new ArrayList<>(dropped);
            for (Ring ring : rings) {
                long lost = ring.copyTo(all);
                if (lost > 0) {
                    overflowed.add(ring.threadName + " (" + lost + " earliest events overwritten)");
                }
            }
            all.sort(ORDER);
            return new Record(beginNanos, List.copyOf(all), List.copyOf(overflowed));
        }
    }

    /**
     * One thread's events of one run. Only its thread writes; readers copy the immutable events
     * below the published count (a volatile write per event orders the slot before the count).
     */
    private static final class Ring {
        final Run run;
        final String threadName;
        final TraceEvent[] slots;
        /** Point to the stack of its first fire; only the ring's thread touches it. */
        final java.util.Map<String, String> stacks = new java.util.HashMap<>();
        private volatile long written;

        Ring(Run run, String threadName, int capacity) {
            this.run = run;
            this.threadName = threadName;
            this.slots = new TraceEvent[capacity];
        }

        void add(TraceEvent e) {
            long n = written;
            slots[(int) (n % slots.length)] = e;
            written = n + 1;
        }

        /** Copies what is kept; returns how many earlier events were overwritten. */
        long copyTo(List<TraceEvent> out) {
            long n = written;
            long from = Math.max(0, n - slots.length);
            for (long i = from; i < n; i++) {
                TraceEvent e = slots[(int) (i % slots.length)];
                if (e != null) {
                    out.add(e);
                }
            }
            return from;
        }
    }
}
