package dev.jfail.core;

import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MessagesTest {

    @Test
    void anIllegalArgumentSpeaksForItselfOnOneLine() {
        assertEquals("bad setting at column 3: expected '%'",
                Messages.oneLine(new IllegalArgumentException("bad setting\n  at column 3: expected '%'")));
    }

    @Test
    void otherFailuresNameTheirType() {
        assertEquals("IOException: connection refused", Messages.oneLine(new IOException("connection refused")));
    }

    @Test
    void aBlankMessageDefersToTheCause() {
        assertEquals("IOException: no such process",
                Messages.oneLine(new IllegalStateException("", new IOException("no such process"))));
    }

    @Test
    void nothingToSayGivesTheType() {
        assertEquals("java.lang.IllegalStateException", Messages.oneLine(new IllegalStateException()));
    }
}
