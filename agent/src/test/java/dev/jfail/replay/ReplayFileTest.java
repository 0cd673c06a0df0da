package dev.jfail.replay;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A replay file reads back exactly what was written, and a broken one is refused naming the line. */
class ReplayFileTest {

    @TempDir
    Path dir;

    @Test
    void whatIsWrittenReadsBackTheSame() throws IOException {
        ReplayFile written = new ReplayFile(
                List.of(Map.entry("race", "collapse"), Map.entry("setting", "a=50%sleep(10)"),
                        Map.entry("setting", "b=20%return(1)"), Map.entry("seed", "42"),
                        Map.entry("outcome", "PANIC\tpanic: freeing mapped page\nsecond line \\ backslash")),
                List.of(new ReplayFile.Crossing(1, 0.5, "page daemon\t1", "a", "none"),
                        new ReplayFile.Crossing(2, 12.25, "fault", "b", "0:print(1),1:return(1)")));
        Path file = dir.resolve("sub/run.replay");
        written.write(file);
        ReplayFile read = ReplayFile.read(file);
        assertEquals(written, read);
        assertEquals("a=50%sleep(10);b=20%return(1)", read.settings());
        assertEquals("42", read.first("seed").orElseThrow());
        BitSet both = new BitSet();
        both.set(0, 2);
        assertEquals(both, read.crossings().get(1).firedTerms());
        assertEquals(new BitSet(), read.crossings().get(0).firedTerms());
        assertEquals("jfail-replay\t1", Files.readAllLines(file).get(0));
    }

    @Test
    void orderingPointsAndGatesAreInTheHeader() throws IOException {
        Path file = dir.resolve("gates.replay");
        new ReplayFile(List.of(Map.entry(ReplayFile.ORDER_POINT, "post"), Map.entry(ReplayFile.ORDER_POINT, "printf"),
                ReplayFile.orderGate("pre", "post")), List.of()).write(file);
        ReplayFile read = ReplayFile.read(file);
        assertEquals(Set.of("post", "printf"), read.orderPoints());
        assertEquals(Map.of("pre", "post"), read.orderGates());
        assertEquals("order_gate\tpre post", Files.readAllLines(file).get(3));
    }

    @Test
    void aFileThatIsNotAReplayIsRefused() throws IOException {
        Path file = dir.resolve("x");
        Files.writeString(file, "hello\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ReplayFile.read(file));
        assertEquals(file + " is not a jfail replay file (it does not start with 'jfail-replay')", e.getMessage());
        assertEquals("no replay file " + dir.resolve("none"),
                assertThrows(IllegalArgumentException.class, () -> ReplayFile.read(dir.resolve("none"))).getMessage());
    }

    @Test
    void aBrokenLineIsNamed() throws IOException {
        Path file = dir.resolve("y");
        Files.writeString(file, "jfail-replay\t1\nrace\tcollapse\ncross\t1\t+0.1\tt\tp\tnone\ncross\t3\t+0.2\tt\tp\tnone\n");
        assertEquals(file + ":4: crossing #3 where #2 was due",
                assertThrows(IllegalArgumentException.class, () -> ReplayFile.read(file)).getMessage());
        Files.writeString(file, "jfail-replay\t1\ncross\t1\t+0.1\tt\tp\tx:sleep\n");
        assertEquals(file + ":2: malformed line: For input string: \"x\"",
                assertThrows(IllegalArgumentException.class, () -> ReplayFile.read(file)).getMessage());
        Files.writeString(file, "jfail-replay\t1\norder_gate\tsched_lock_pre_op\n");
        assertEquals(file + ":2: an order_gate is 'GATE POINT', not 'sched_lock_pre_op'",
                assertThrows(IllegalArgumentException.class, () -> ReplayFile.read(file)).getMessage());
        Files.writeString(file, "jfail-replay\t9\n");
        assertEquals(file + ": replay file version 9; this jfail reads version 1",
                assertThrows(IllegalArgumentException.class, () -> ReplayFile.read(file)).getMessage());
    }
}
