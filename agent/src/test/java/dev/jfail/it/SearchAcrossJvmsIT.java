package dev.jfail.it;

import dev.jfail.FailPoints;
import dev.jfail.explore.Exploration;
import dev.jfail.explore.Explorer;
import dev.jfail.explore.Order;
import dev.jfail.explore.Specs;
import dev.jfail.explore.Strategy;
import dev.jfail.it.fixture.FrontApp;
import dev.jfail.it.fixture.StoreApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The explorer across processes: two launched JVMs (a front that answers a write before its store
 * has applied it, and the store a client then reads from), their points reached, set and held from
 * this JVM; what it hands back uses the handles. The fixed front shows nothing in the same search,
 * and a JVM that exits mid-run ends the exploration with a clear error.
 */
@Timeout(300)
class SearchAcrossJvmsIT {

    static {
        System.setProperty("jfail.agent.jar", Jvm.agentJar().toString()); // this build's classes are a directory
    }

    private static final Pattern PORT = Pattern.compile("listening (\\d+)");

    /** The two JVMs, the store first, and the ports of each. */
    private record Pair(dev.jfail.Jvm store, dev.jfail.Jvm front, int storePort, int frontPort) implements AutoCloseable {

        static Pair start(String mode) {
            dev.jfail.Jvm store = FailPoints.launcher(StoreApp.class.getName()).name("store")
                    .classPath(Jvm.fixtures().toString()).start();
            int storePort = port(store);
            dev.jfail.Jvm front = FailPoints.launcher(FrontApp.class.getName()).name("front")
                    .classPath(Jvm.fixtures().toString()).args(Integer.toString(storePort), mode).start();
            return new Pair(store, front, storePort, port(front));
        }

        /** Writes {@code key} through the front, then reads it from the store: null when the read misses the write. */
        String writeThenRead(String key) throws IOException {
            try (Socket w = socket(frontPort); Socket r = socket(storePort)) {
                String ok = request(w, "PUT " + key + " 1");
                assertEquals("OK", ok);
                String read = request(r, "GET " + key);
                return read.startsWith("VALUE ") ? read.substring(6) : null;
            }
        }

        @Override
        public void close() {
            front.close();
            store.close();
        }
    }

    private static int port(dev.jfail.Jvm jvm) {
        Matcher m = PORT.matcher(jvm.awaitOutput(PORT));
        assertTrue(m.find());
        return Integer.parseInt(m.group(1));
    }

    private static Socket socket(int port) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout(30_000);   // a run never waits for good, whatever is held
        return s;
    }

    private static String request(Socket s, String line) throws IOException {
        new PrintWriter(s.getOutputStream(), true, StandardCharsets.UTF_8).println(line);
        String answer = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
        if (answer == null) {
            throw new UncheckedIOException(new IOException("closed"));
        }
        return answer;
    }

    @Test
    void an_order_across_the_two_jvms_makes_the_client_miss_its_write_and_the_hand_back_uses_the_handles() {
        try (Pair pair = Pair.start("async")) {
            Exploration e = Explorer.of(seed -> pair.writeThenRead("k" + seed)).symptom(read -> read == null)
                    .jvms(pair.store(), pair.front()).strategies(EnumSet.of(Strategy.ORDERS)).shrink(false).rateRuns(5)
                    .seed(21).budget(Duration.ofSeconds(90), 300).explore();
            System.out.println("across two JVMs, async: " + e.summary());

            assertTrue(e.found(), e.summary());
            assertEquals(Map.of("store", "store", "front", "front"), e.jvms());
            assertTrue(e.reached().containsKey("store:store_apply") && e.reached().containsKey("front:front_reply"),
                    e.reached().toString());
            Order order = e.shrunk().orders().get(0);
            assertEquals("store:store_apply", order.hold(), e.summary());
            assertEquals("off", pair.store().get("store_apply"), "every point off there when it returns");

            Specs.Code code = new Specs.Code("a client reads its own write", List.of(), "writeThenRead()", "result == null");
            String junit = Specs.junit(e, code);
            assertTrue(junit.contains("Hold held0 = store.holdAt(\"store_apply\", 1, 0);"), junit);
            assertTrue(junit.contains("store = the JVM named \"store\""), junit);
            String spock = Specs.spock(e, code);
            assertTrue(spock.contains("def held0 = store.holdAt('store_apply', 1, 0)"), spock);
            if (order.until().equals("front:front_reply")) {   // held in one JVM until the other's point
                assertTrue(junit.contains("front.awaitFired(\"front_reply\", 1);"), junit);
                assertTrue(spock.contains("front.awaitFired('front_reply', 1)"), spock);
            }
        }
    }

    @Test
    void the_fixed_front_shows_nothing_in_the_same_search() {
        try (Pair pair = Pair.start("sync")) {
            Exploration e = Explorer.of(seed -> pair.writeThenRead("k" + seed)).symptom(read -> read == null)
                    .jvms(pair.store(), pair.front()).seed(22).budget(Duration.ofSeconds(20), 120).explore();
            System.out.println("across two JVMs, sync: " + e.summary());

            assertFalse(e.found(), e.summary());
            assertTrue(e.reached().containsKey("store:store_apply") && e.reached().containsKey("front:front_reply"),
                    e.reached().toString());
            assertTrue(e.tried().containsKey(Strategy.ORDERS.label()) || e.runs() < 10, e.tried().toString());
        }
    }

    @Test
    void a_jvm_that_exits_mid_run_ends_the_exploration_with_a_clear_error() {
        try (Pair pair = Pair.start("async")) {
            long storePid = pair.store().pid();
            IllegalStateException gone = assertThrows(IllegalStateException.class, () -> Explorer.of(seed -> {
                if (seed == 3) {
                    ProcessHandle.of(storePid).ifPresent(ProcessHandle::destroyForcibly);
                }
                return pair.writeThenRead("k" + seed);
            }).thrownIsSymptom(false).jvms(pair.store(), pair.front()).seed(0).budget(Duration.ofSeconds(60), 50).explore());
            assertTrue(gone.getMessage().startsWith("explore: jvm store (pid " + storePid + ") exited during run 4"),
                    gone.getMessage());
        }
    }
}
