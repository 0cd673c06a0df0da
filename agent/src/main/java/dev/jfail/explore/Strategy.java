package dev.jfail.explore;

/** The explorer's ways of making a setting, from cheap to thorough. */
public enum Strategy {
    /** Random sleeps, yields and busy delays at a random half of the reached points. */
    DELAYS("delays"),
    /** {@code return(n)} at points whose method can fail (returns something), with delays elsewhere. */
    FAILURES("failures"),
    /**
     * {@code panic} (an exception: the point's own type, or one its method declares) at the K-th
     * crossing or now and then, on whichever thread crosses; what it breaks in other threads counts.
     */
    EXCEPTIONS("exceptions"),
    /** One action at the K-th crossing of one or two points ({@code K-1*off->1*sleep(ms)}, ...). */
    COUNTS("counts"),
    /** Pairs: a thread held at A (its K-th crossing) until another reaches B; untried pairs first. */
    ORDERS("orders"),
    /** Triples: A held until B, and B held until C. */
    TRIPLES("triples"),
    /** The plain baseline: {@code 50%sleep(ms)} at every reached point, ms random. */
    SLEEPS_EVERYWHERE("sleeps-everywhere");

    private final String label;

    Strategy(String label) {
        this.label = label;
    }

    /** What progress lines and reports call it. */
    public String label() {
        return label;
    }
}
