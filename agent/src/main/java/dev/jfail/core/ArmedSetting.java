package dev.jfail.core;

import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A stored, non-empty setting with its live counts. A new one is made for every store, so a
 * thread that read the reference once evaluates one setting from start to end.
 */
final class ArmedSetting {

    final ParsedSetting source;
    /** The setting as stored, in read-back form, for the trace (made once, not per evaluation). */
    final String text;
    final Term[] terms;
    /** {@code Outcome.Return(n)} of each return term, made once rather than on every fire. */
    final Outcome[] returns;
    /** Remaining fires of each counted term; unused slots of uncounted terms stay -1. */
    private final AtomicLongArray remaining;
    /** Every term is counted, so the whole setting can go stale and turn the point off. */
    final boolean canGoStale;
    /** The pause generation at store time: a release after that ends pauses asked for by this setting. */
    final long pauseEpoch;

    ArmedSetting(ParsedSetting source, long pauseEpoch) {
        if (source.isOff()) {
            throw new IllegalArgumentException("an off setting is not armed");
        }
        this.source = source;
        this.text = source.readBack();
        List<Term> list = source.terms();
        this.terms = list.toArray(new Term[0]);
        this.remaining = new AtomicLongArray(terms.length);
        this.returns = new Outcome[terms.length];
        boolean allCounted = true;
        for (int i = 0; i < terms.length; i++) {
            remaining.set(i, terms[i].count());
            allCounted &= terms[i].counted();
            if (terms[i].type() == FailPointType.RETURN) {
                returns[i] = new Outcome.Return(terms[i].argument());
            }
        }
        this.canGoStale = allCounted;
        this.pauseEpoch = pauseEpoch;
    }

    boolean isStale(int i) {
        return terms[i].counted() && remaining.get(i) == 0;
    }

    /**
     * Claims one fire of term {@code i}: always true for an uncounted term; for a counted one an
     * atomic decrement that never goes below zero, false when another thread took the last.
     */
    boolean take(int i) {
        if (!terms[i].counted()) {
            return true;
        }
        long left = remaining.get(i);
        while (left > 0) {
            if (remaining.compareAndSet(i, left, left - 1)) {
                return true;
            }
            left = remaining.get(i);
        }
        return false;
    }

    boolean allStale() {
        if (!canGoStale) {
            return false;
        }
        for (int i = 0; i < terms.length; i++) {
            if (remaining.get(i) != 0) {
                return false;
            }
        }
        return true;
    }

    /** The live read-back: remaining counts, stale terms left out, {@code off} when all are stale. */
    String readBack() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < terms.length; i++) {
            long left = remaining.get(i);
            if (terms[i].counted() && left == 0) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append("->");
            }
            sb.append(terms[i].format(left));
        }
        return sb.length() == 0 ? "off" : sb.toString();
    }
}
