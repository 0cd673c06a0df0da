package dev.jfail.remote;

import dev.jfail.Hold;
import dev.jfail.core.Patience;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A {@link Hold} in another JVM: armed there, its waits made there, released there. */
final class RemoteHold implements Hold {

    private final RemoteJvm jvm;
    private final String point;
    private final int threads;

    RemoteHold(RemoteJvm jvm, String point, int threads) {
        this.jvm = jvm;
        this.point = point;
        this.threads = threads;
    }

    @Override
    public String point() {
        return point;
    }

    @Override
    public int threads() {
        return threads;
    }

    @Override
    public Hold awaitHeld(Duration atMost) {
        jvm.call("awaitHeld", atMost.toMillis(), point, (long) threads, atMost.toMillis());
        return this;
    }

    @Override
    public List<String> heldThreads() {
        List<String> names = new ArrayList<>();
        ((List<?>) jvm.call("heldThreads", 0, point)).forEach(n -> names.add((String) n));
        return names;
    }

    @Override
    public Hold release() {
        if (jvm.alive()) { // an exited JVM holds nothing: closing its hold is not another failure
            jvm.call("release", Patience.standard().toMillis(), point);
        }
        return this;
    }

    @Override
    public String toString() {
        return "hold of " + threads + " thread(s) at " + point + " in " + jvm;
    }
}
