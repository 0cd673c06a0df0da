package dev.jfail.explore;

import dev.jfail.core.Site;
import dev.jfail.trace.TraceEvent;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ReachTest {

    /** A method that declares a checked exception, as a library's would. */
    static final class Io {
        int read(int n) throws java.io.IOException, InterruptedException, IllegalStateException {
            return n;
        }
    }

    @Test
    void a_points_method_tells_which_checked_exceptions_it_may_throw() {
        assertEquals(List.of("java.io.IOException", "java.lang.InterruptedException"),
                Reach.declaredThrows(List.of(new Site(Io.class.getName() + ".read(int)", "int"))));
        assertEquals(List.of(), Reach.declaredThrows(List.of(new Site("fixture.nowhere()", "void"))));
        assertEquals(List.of(), Reach.declaredThrows(List.of()));
    }

    @Test
    void the_state_a_point_sits_on_is_its_field_else_its_class() {
        assertEquals("com.acme.Pool", Reach.stateOf(List.of(new Site("com.acme.Pool.borrow():88", "void"))));
        assertEquals("com.acme.Pool#count", Reach.stateOf(List.of(new Site("com.acme.Pool.borrow():after=field:count#2", "void"))));
    }

    @Test
    void threads_that_cross_points_close_in_time_make_them_a_pair() {
        Reach reach = new Reach(List.of("a", "b", "c", "d"));
        reach.observeThreads(List.of(crossing(1, "a", 0), crossing(2, "b", 200_000), crossing(1, "c", 10_000_000),
                crossing(1, "c", 10_100_000), crossing(3, "d", 30_000_000), crossing(4, "d", 30_500_000)));

        assertEquals(List.of("a+b", "d+d"), reach.closePairs());
        Set<String> contended = Set.of("a", "b", "d");
        assertEquals(3, reach.pairRank("a", "b", contended));
        assertEquals(3, reach.pairRank("b", "a", contended));
        assertEquals(1, reach.pairRank("a", "c", contended));   // c: one thread, far from the others
        assertEquals(0, reach.pairRank("c", "c", contended));
    }

    @Test
    void a_thrown_class_is_one_action_to_the_shrinker() {
        Terms.Shape s = Terms.shape("3*off->1*panic(java.io.IOException)");
        assertEquals("panic(java.io.IOException)", s.action());
        assertEquals("1*off->1*panic(java.io.IOException)", s.withSkip(1).text());
    }

    private static TraceEvent crossing(long thread, String point, long nanos) {
        return new TraceEvent(nanos, nanos, "t" + thread, thread, TraceEvent.Kind.EVALUATED, point, null, "none", "off");
    }
}
