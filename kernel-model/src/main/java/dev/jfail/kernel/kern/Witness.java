package dev.jfail.kernel.kern;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Our WITNESS for sleeps: the wait-for graph. A thread sleeping for a {@link Waitable} has an edge
 * to each of its holders; a holder that sleeps itself continues the chain. Before a thread goes to
 * sleep, {@link #cycle} looks for a chain that leads back to it (it waits for something it holds,
 * directly or through others) or ends at a holder that has exited and so never lets go.
 * Called with sched_lock held, so the graph is a consistent snapshot.
 */
final class Witness {

    /** One edge of a sleep chain: {@code waiter} sleeps on {@code on}, which {@code holder} holds. */
    record Edge(KThread waiter, String wmesg, Waitable on, String holdState, KThread holder) {
    }

    private Witness() {
    }

    /** The chain from {@code td} back to itself (or to an exited holder), or null if none. */
    static List<Edge> cycle(KThread td, String wmesg, Waitable on) {
        Deque<Edge> path = new ArrayDeque<>();
        return search(td, td, wmesg, on, path, new HashSet<>()) ? new ArrayList<>(path) : null;
    }

    private static boolean search(KThread start, KThread waiter, String wmesg, Waitable on,
                                  Deque<Edge> path, Set<KThread> seen) {
        String state = on.holdState();
        for (KThread holder : on.holders()) {
            path.addLast(new Edge(waiter, wmesg, on, state, holder));
            if (holder == start || holder.exited()) {
                return true;
            }
            if (seen.add(holder) && holder.blockedOn != null
                    && search(start, holder, holder.wmesg, holder.blockedOn, path, seen)) {
                return true;
            }
            path.removeLast();
        }
        return false;
    }
}
