package dev.jfail.tooling;

import dev.jfail.fixture.Annotated;
import dev.jfail.fixture.Unmarked;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClassFileScanTest {

    @Test
    void findsTheAnnotationInTheConstantPool() {
        assertTrue(ClassFileScan.mentionsFailPoint(TestAgent.classFile(Annotated.class.getName())));
        assertFalse(ClassFileScan.mentionsFailPoint(TestAgent.classFile(Unmarked.class.getName())));
        assertFalse(ClassFileScan.mentionsFailPoint(TestAgent.classFile(String.class.getName())));
    }

    @Test
    void aClassThatOnlyReferencesTheAnnotationTypeIsNotACandidate() {
        // this test class mentions Annotated.class but carries no @FailPoint itself
        assertFalse(ClassFileScan.mentionsFailPoint(TestAgent.classFile(ClassFileScanTest.class.getName())));
    }

    @Test
    void malformedBytesAreNotACandidate() {
        byte[] bytes = TestAgent.classFile(Annotated.class.getName());
        assertFalse(ClassFileScan.mentionsFailPoint(new byte[] {1, 2, 3}));
        assertFalse(ClassFileScan.mentionsFailPoint(Arrays.copyOf(bytes, 40)));
        byte[] badMagic = bytes.clone();
        badMagic[0] = 0;
        assertFalse(ClassFileScan.mentionsFailPoint(badMagic));
    }

    @Test
    void readsTheMajorVersion() {
        assertEquals(61, ClassFileScan.majorVersion(TestAgent.classFile(Annotated.class.getName())));
    }
}
