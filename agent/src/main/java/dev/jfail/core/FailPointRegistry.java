package dev.jfail.core;

import dev.jfail.FailPointStatus;
import dev.jfail.FailPointSyntaxException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Every failpoint of the JVM, by name. Names may carry FreeBSD's sysctl prefix
 * {@code debug.fail_point.}, which is ignored.
 */
public final class FailPointRegistry {

    /** FreeBSD's sysctl prefix, accepted and ignored in names. */
    public static final String SYSCTL_PREFIX = "debug.fail_point.";
    /** The system property that fixes the seed at start. */
    public static final String SEED_PROPERTY = "jfail.seed";

    private static final class Global {
        static final FailPointRegistry INSTANCE = new FailPointRegistry(initialSeed());
    }

    private final Map<String, FailPointState> points = new ConcurrentHashMap<>();
    private final Function<String, FailPointState> newState = new Function<String, FailPointState>() {
        @Override
        public FailPointState apply(String name) {
            return new FailPointState(name, FailPointRegistry.this);
        }
    };
    private volatile long seed;
    /** Bumped by {@link #seed(long)} and {@link #reset()}: every thread's rolls start over. */
    private final AtomicInteger generation = new AtomicInteger();

    /** A registry of its own (for tests and tools); most code wants {@link #global()}. */
    public FailPointRegistry(long seed) {
        this.seed = seed;
    }

    /** The registry of this JVM (one per class loader holding jfail; the agent's is the system one). */
    public static FailPointRegistry global() {
        return Global.INSTANCE;
    }

    /** {@code -Djfail.seed=N} (decimal, or 0x hex), else a random seed. */
    static long initialSeed() {
        OptionalLong asked = seedProperty(); // no lambda: the agent reads this at JVM start, where linking one costs
        return asked.isPresent() ? asked.getAsLong() : ThreadLocalRandom.current().nextLong() ^ System.nanoTime();
    }

    /** The last malformed {@code -Djfail.seed} reported, so that each is reported once. */
    private static volatile String warnedSeed;

    /**
     * The seed {@code -Djfail.seed=N} (decimal, or 0x hex) asks for now, if any; a malformed value is
     * reported on stderr and ignored. The one reader of the property: the agent at start and the
     * extensions (whose build tool may set it after the agent started) both ask here.
     */
    public static OptionalLong seedProperty() {
        String property = System.getProperty(SEED_PROPERTY);
        if (property == null || property.isBlank()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.decode(property.strip()));
        } catch (NumberFormatException e) {
            if (!property.equals(warnedSeed)) { // once per value: the extensions read it before every test
                warnedSeed = property;
                System.err.println("jfail: warning: ignoring -D" + SEED_PROPERTY + "=" + property + ": not a whole number");
            }
            return OptionalLong.empty();
        }
    }

    /** The canonical state for {@code name}, created off if unknown. */
    public FailPointState point(String name) {
        String canonical = canonicalName(name);
        FailPointState known = points.get(canonical); // no lambda on the path of JVM start-up
        return known != null ? known : points.computeIfAbsent(canonical, newState);
    }

    /** Whether {@code name} has been declared by loaded code or set. */
    public boolean isKnown(String name) {
        return points.containsKey(canonicalName(name));
    }

    /**
     * Stores {@code setting}; a malformed setting ({@link FailPointSyntaxException}) or a
     * {@code return(n)} a declared method cannot take ({@link IllegalArgumentException}) changes nothing.
     */
    public void set(String name, String setting) {
        String canonical = canonicalName(name);
        ParsedSetting parsed = ParsedSetting.parse(setting);
        FailPointState state = points.get(canonical);
        if (state == null && parsed.isOff()) {
            return; // turning off a point nobody knows: nothing to do, and no entry for a typo
        }
        (state != null ? state : point(canonical)).store(parsed);
    }

    /**
     * Several settings in the form {@code name=setting;name=setting}: whitespace around entries
     * trimmed, empty entries skipped, an entry without {@code =} an error. All or nothing: every
     * entry is checked before any is stored.
     */
    public void setAll(String settings) {
        List<Map.Entry<String, ParsedSetting>> entries = new ArrayList<>();
        for (Map.Entry<String, String> entry : SettingList.parse(settings).entrySet()) {
            String name = entry.getKey();
            ParsedSetting parsed;
            try {
                parsed = ParsedSetting.parse(entry.getValue());
            } catch (FailPointSyntaxException e) {
                throw new FailPointSyntaxException("failpoint " + name, e);
            }
            FailPointState state = points.get(name);
            if (state != null) {
                state.check(parsed);
            }
            entries.add(Map.entry(name, parsed));
        }
        for (Map.Entry<String, ParsedSetting> e : entries) {
            FailPointState state = points.get(e.getKey());
            if (state != null || !e.getValue().isOff()) {
                point(e.getKey()).store(e.getValue());
            }
        }
    }

    /** The live setting in FreeBSD's read-back form; {@code off} when off or unknown. */
    public String get(String name) {
        FailPointState state = points.get(canonicalName(name));
        return state == null ? "off" : state.get();
    }

    /** Every point off, counters cleared, paused threads released, every thread's rolls started over. */
    public void reset() {
        generation.incrementAndGet();
        for (FailPointState state : points.values()) {
            state.reset();
        }
    }

    /** Every known point, declared by loaded code or set, to its read-back, sorted by name. */
    public Map<String, String> list() {
        Map<String, String> all = new TreeMap<>();
        points.forEach((name, state) -> all.put(name, state.get()));
        return Collections.unmodifiableMap(all);
    }

    /** The names of the points some loaded code declares, sorted: what a typo is compared with. */
    public List<String> declaredNames() {
        return points.values().stream().filter(FailPointState::declared).map(FailPointState::name).sorted().toList();
    }

    /** Every thread paused in some point right now, to the point's name (what a hold watch polls). */
    public Map<Thread, String> pausedThreads() {
        Map<Thread, String> paused = new java.util.HashMap<>();
        for (FailPointState state : points.values()) {
            state.pausedThreads(paused);
        }
        return paused;
    }

    /** Counters and the threads held in {@code name} right now (an off, undeclared snapshot if unknown). */
    public FailPointStatus status(String name) {
        String canonical = canonicalName(name);
        FailPointState state = points.get(canonical);
        return state != null ? state.status()
                : new FailPointStatus(canonical, "off", false, List.of(), 0, Map.of(), List.of());
    }

    public long seed() {
        return seed;
    }

    /** Sets the seed and starts every thread's sequence of rolls over from it. */
    public void seed(long seed) {
        this.seed = seed;
        generation.incrementAndGet();
    }

    int generation() {
        return generation.get();
    }

    /**
     * The name without FreeBSD's {@code debug.fail_point.} prefix; a clear
     * {@link IllegalArgumentException} when it is empty or holds whitespace, {@code =} or {@code ;}.
     */
    public static String canonicalName(String name) {
        if (name == null) {
            throw new IllegalArgumentException("failpoint name is null");
        }
        String bare = name.startsWith(SYSCTL_PREFIX) ? name.substring(SYSCTL_PREFIX.length()) : name;
        if (bare.isEmpty()) {
            throw new IllegalArgumentException("empty failpoint name" + (name.isEmpty() ? "" : " '" + name + "'"));
        }
        for (int i = 0; i < bare.length(); i++) {
            char c = bare.charAt(i);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.isISOControl(c) || c == '=' || c == ';') {
                throw new IllegalArgumentException("invalid failpoint name '" + printable(name) + "': "
                        + "no whitespace, '=' or ';' allowed (column " + (i + 1 + name.length() - bare.length()) + ")");
            }
        }
        return bare;
    }

    private static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        s.codePoints().forEach(cp -> {
            if (Character.isISOControl(cp)) {
                sb.append(String.format("\\u%04X", cp));
            } else {
                sb.appendCodePoint(cp);
            }
        });
        return sb.toString();
    }
}
