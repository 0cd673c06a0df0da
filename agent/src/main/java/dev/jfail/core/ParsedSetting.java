package dev.jfail.core;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A setting as typed, parsed, and normalised the way FreeBSD's {@code fail_point_set} stores it:
 * terms with probability 0 are dropped; a plain {@code off} (no count) ends the chain and goes
 * with everything after it; terms after a {@code pause} are dropped (unreachable); nothing left
 * means off.
 *
 * @param text   the setting as given
 * @param parsed every term, as parsed
 * @param terms  the terms that are stored
 */
public record ParsedSetting(String text, List<Term> parsed, List<Term> terms) {

    public ParsedSetting {
        parsed = List.copyOf(parsed);
        terms = List.copyOf(terms);
    }

    /** Parses and normalises; throws {@link dev.jfail.FailPointSyntaxException} when malformed. */
    public static ParsedSetting parse(String setting) {
        List<Term> parsed = SettingParser.parse(setting);
        return new ParsedSetting(setting, parsed, normalise(parsed));
    }

    static List<Term> normalise(List<Term> parsed) {
        List<Term> kept = new ArrayList<>();
        for (Term term : parsed) {
            if (term.probability() == 0) {
                continue;
            }
            if (term.type() == FailPointType.OFF && !term.counted()) {
                break;
            }
            kept.add(term);
            if (term.type() == FailPointType.PAUSE) {
                break;
            }
        }
        return kept;
    }

    /** Nothing is stored: the failpoint is off. */
    public boolean isOff() {
        return terms.isEmpty();
    }

    /**
     * Whether storing this releases threads paused in the point: the setting contains {@code off}
     * anywhere as typed (FreeBSD decides before dropping terms), or stores nothing.
     */
    public boolean releasesPaused() {
        return isOff() || parsed.stream().anyMatch(t -> t.type() == FailPointType.OFF);
    }

    /** FreeBSD's canonical read-back of the stored terms, before any of them has fired. */
    public String readBack() {
        return isOff() ? "off" : terms.stream().map(t -> t.format(t.count())).collect(Collectors.joining("->"));
    }

    @Override
    public String toString() {
        return readBack();
    }
}
