package dev.jfail.kernel.race;

import java.util.List;
import java.util.Map;

/**
 * What a race is, declared once: what users type ({@code id}), its title, its variants in
 * history order (the buggy code first, the fix last), the failpoint settings it is played with
 * by default and whose they are, and its parameters.
 */
public record RaceInfo(String id, String title, List<Variant> variants, Settings settings, List<Param> params) {

    public RaceInfo {
        variants = List.copyOf(variants);
        params = List.copyOf(params);
    }

    /** The variant called {@code name}; an unknown one is an IllegalArgumentException naming the known ones. */
    public Variant variant(String name) {
        return variants.stream().filter(v -> v.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("race " + id + " has no variant '" + name
                        + "'; variants: " + String.join(", ", variants.stream().map(Variant::name).toList())));
    }

    /**
     * Checks every parameter of {@code params} against this race: known, a number, in bounds;
     * the first bad one is an IllegalArgumentException naming it.
     */
    public void checkParams(Map<String, String> params) {
        for (Map.Entry<String, String> e : params.entrySet()) {
            Param p = params().stream().filter(x -> x.name().equals(e.getKey())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("race " + id + " has no parameter '" + e.getKey() + "'"
                            + (params().isEmpty() ? "" : "; parameters: "
                            + String.join(", ", params().stream().map(Param::name).toList()))));
            p.check(e.getValue());
        }
    }
}
