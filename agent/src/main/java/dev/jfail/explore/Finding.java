package dev.jfail.explore;

/**
 * What a run that shows the bug showed. An exception the explorer injected that merely reaches the
 * top of a thread (thrown out of the workload, or killing the thread it was thrown in) is none of
 * these: the workload would fail for the injection itself. What the injection breaks elsewhere is.
 */
public enum Finding {
    /** The symptom predicate held on the workload's result: lost or wrong data. */
    WRONG_DATA("the symptom in the workload's result (lost or wrong data)"),
    /** The workload threw something that is not the injected exception (a failed assertion, say). */
    THROWN("the workload threw"),
    /** Another thread died of an exception that is not the injected one. */
    ERROR_IN_ANOTHER_THREAD("an error in another thread"),
    /** The workload did not return within its time limit, nor once every failpoint was off. */
    HANG("a hang"),
    /** As {@link #HANG}, with threads deadlocked on monitors or locks. */
    DEADLOCK("a deadlock");

    private final String text;

    Finding(String text) {
        this.text = text;
    }

    /** "a deadlock", "an error in another thread", ...: what the hand-back says it was. */
    public String text() {
        return text;
    }
}
