package dev.lookout.protocol;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CameraNameTest {
    @ParameterizedTest
    @ValueSource(strings = {"door", "Front-Door_2", "a", "192.168.1.20", "x.y", "door.", "keeper", "index.htm"})
    void acceptsPlainFolderNames(String name) {
        assertTrue(CameraName.isValid(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "a/b", "/", "..\\x", "nul\0", "cämera", "a b", "tab\t", "new\nline"})
    void refusesAnythingElse(String name) {
        assertFalse(CameraName.isValid(name));
    }

    /** Hidden names and the names the store and the gallery use themselves. */
    @ParameterizedTest
    @ValueSource(strings = {"...", ".stored", ".gallery", ".ids", ".lock", ".x", ".hidden-camera", "index.html",
        "latest.jpg", "keep"})
    void refusesHiddenAndReservedNames(String name) {
        assertFalse(CameraName.isValid(name));
    }

    @ParameterizedTest
    @ValueSource(ints = {64, 65})
    void limitsTheLengthTo64(int length) {
        assertTrue(CameraName.isValid("c".repeat(length)) == (length <= 64));
    }
}
