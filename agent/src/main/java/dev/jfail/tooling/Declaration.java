package dev.jfail.tooling;

import java.util.ArrayList;
import java.util.List;

/**
 * One declaration from configuration: a point on one method ({@link PointDeclaration},
 * {@code NAME@CLASS#METHOD[(DESC)][:POSITION]}) or the automatic points of some classes
 * ({@link AutoDeclaration}, {@code auto@CLASS} or {@code auto@PACKAGE.*}). Every surface that
 * takes declarations (agent argument, {@code -Djfail.points}, the CLI, the MBean, the facade, the
 * extensions) parses them here.
 */
public sealed interface Declaration permits PointDeclaration, AutoDeclaration {

    /** Both forms, for messages. */
    String FORMS = PointDeclaration.FORM + " or " + AutoDeclaration.FORM;

    /** Parses one declaration; a malformed one throws with a one-line message naming the expected form. */
    static Declaration parse(String text) {
        return AutoDeclaration.looksAutomatic(text) ? AutoDeclaration.parse(text) : PointDeclaration.parse(text);
    }

    /** Declarations separated by commas or whitespace; an empty list throws. */
    static List<Declaration> parseList(String text) {
        List<Declaration> parsed = new ArrayList<>();
        for (String entry : text.strip().split("[,\\s]+")) {
            if (!entry.isEmpty()) {
                parsed.add(parse(entry));
            }
        }
        if (parsed.isEmpty()) {
            throw new IllegalArgumentException("no failpoint declaration in '" + text + "': expected " + FORMS
                    + ", e.g. " + PointDeclaration.EXAMPLE);
        }
        return parsed;
    }
}
