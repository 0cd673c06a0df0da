package dev.jfail.explore;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The few shapes of setting the explorer writes and its shrinker rewrites, in the failpoint
 * language itself: {@code [P%]ACTION[(ARG)]}, {@code N*ACTION[(ARG)]} and the K-th crossing
 * {@code K-1*off->1*ACTION[(ARG)]}; {@code panic(CLASS)} is one action. Anything else is left as it is.
 */
final class Terms {

    /** {@code [K*off->][N*][P%]action[(arg)]}. */
    private static final Pattern SHAPE = Pattern.compile(
            "(?:(\\d+)\\*off->)?(?:(\\d+)\\*)?(?:([0-9.]+)%)?([a-z]+(?:\\([A-Za-z_$][\\w.$]*\\))?)(?:\\((-?\\d+)\\))?");

    /** One parsed setting of those shapes: {@code skip} crossings pass first, then {@code count} (0: no count) fire. */
    record Shape(int skip, int count, String percent, String action, Long argument) {

        String text() {
            StringBuilder sb = new StringBuilder();
            if (skip > 0) {
                sb.append(skip).append("*off->");
            }
            if (count > 0) {
                sb.append(count).append('*');
            }
            if (percent != null) {
                sb.append(percent).append('%');
            }
            sb.append(action);
            if (argument != null) {
                sb.append('(').append(argument).append(')');
            }
            return sb.toString();
        }

        Shape withSkip(int s) {
            return new Shape(s, s > 0 && count == 0 ? 1 : count, percent, action, argument);
        }

        Shape withCount(int c) {
            return new Shape(skip, c, percent, action, argument);
        }

        Shape withPercent(String p) {
            return new Shape(skip, count, p, action, argument);
        }

        Shape withArgument(long a) {
            return new Shape(skip, count, percent, action, a);
        }

        /**
         * How many pieces a reader has to take in: the action, its argument, a count, a crossing, and
         * two for a probability (its share, and the seed without which a run cannot be replayed).
         */
        int pieces() {
            return 1 + (skip > 0 ? 1 : 0) + (count > 0 ? 1 : 0) + (percent != null ? 2 : 0) + (argument != null ? 1 : 0);
        }
    }

    private Terms() {
    }

    /** The shape of {@code setting}, or null when it is of another form. */
    static Shape shape(String setting) {
        Matcher m = SHAPE.matcher(setting.strip());
        if (!m.matches()) {
            return null;
        }
        return new Shape(m.group(1) == null ? 0 : Integer.parseInt(m.group(1)),
                m.group(2) == null ? 0 : Integer.parseInt(m.group(2)), m.group(3), m.group(4),
                m.group(5) == null ? null : Long.parseLong(m.group(5)));
    }

    /** {@code term} at the {@code k}-th crossing only: {@code k-1*off->term} (just {@code term} for the first). */
    static String atCrossing(int k, String countedTerm) {
        return k <= 1 ? countedTerm : (k - 1) + "*off->" + countedTerm;
    }

    /** {@code 12.5} as {@code 12.5}, {@code 50.0} as {@code 50}. */
    static String percent(double p) {
        return p == Math.rint(p) ? Long.toString((long) p) : String.format(Locale.ROOT, "%.4f", p).replaceAll("0+$", "");
    }

    /** The number of pieces of a setting, for settings not of the explorer's shapes: its terms, counted generously. */
    static int pieces(String setting) {
        Shape s = shape(setting);
        return s != null ? s.pieces() : setting.split("->").length * 3;
    }
}
