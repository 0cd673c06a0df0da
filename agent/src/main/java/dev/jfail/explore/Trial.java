package dev.jfail.explore;

import java.util.List;

/**
 * One run of the workload under one setting, as recorded: replay it by setting
 * {@link Candidate#failpoints()} (and its holds) and the failpoint seed {@code seed}, and handing the
 * workload the same seed.
 *
 * @param index     its place in the exploration (0: the first, plain run)
 * @param seed      the failpoints' seed and the workload's
 * @param candidate the setting tried
 * @param symptom   whether the symptom showed
 * @param micros    how long the run took
 * @param heldMillis for each order, how long its thread was held
 * @param detail    what the symptom looked like (the workload's result or what it threw), when it showed
 * @param finding   what it was when it showed (null: it did not)
 */
public record Trial(int index, long seed, Candidate candidate, boolean symptom, long micros, List<Long> heldMillis,
                    String detail, Finding finding) {

    public Trial {
        heldMillis = List.copyOf(heldMillis);
    }

    /** A trial whose symptom, when it showed, was wrong data. */
    public Trial(int index, long seed, Candidate candidate, boolean symptom, long micros, List<Long> heldMillis,
                 String detail) {
        this(index, seed, candidate, symptom, micros, heldMillis, detail, symptom ? Finding.WRONG_DATA : null);
    }
}
