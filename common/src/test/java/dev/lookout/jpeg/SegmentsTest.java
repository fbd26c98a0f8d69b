package dev.lookout.jpeg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SegmentsTest {
    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    @Test
    void walksSegmentsFillBytesAndStandaloneMarkers() {
        byte[] jpeg = bytes(0xFF, 0xD8, 0xFF, 0xE0, 0, 4, 1, 2, 0xFF, 0xFF, 0xFF, 0xD0, 0xFF, 0xDA, 0, 2, 9, 9, 0xFF, 0xD9);
        Segments segments = new Segments(jpeg, 2);
        assertEquals(0xE0, segments.next());
        assertEquals(3, segments.offset());
        assertEquals(4, segments.length());
        assertEquals(6, segments.body());
        assertEquals(8, segments.end());
        assertEquals(0xD0, segments.next(), "after the fill bytes");
        assertEquals(11, segments.offset());
        assertEquals(0xDA, segments.next(), "a standalone marker read, no length asked");
        assertEquals(2, segments.length());
        assertEquals(16, segments.body());
        assertThrows(IllegalArgumentException.class, () -> segments.moveTo(15));
        segments.moveTo(18); // past the entropy-coded data
        assertEquals(0xD9, segments.next());
        assertEquals(Segments.END, segments.next());
    }

    @Test
    void tellsWhatIsWrongWithoutGoingPastTheEnd() {
        Segments notAMarker = new Segments(bytes(0xFF, 0xD8, 0x12, 0xFF), 2);
        assertEquals(Segments.NOT_A_MARKER, notAMarker.next());
        assertEquals(2, notAMarker.offset());
        assertEquals(Segments.END, new Segments(bytes(0xFF, 0xD8, 0xFF, 0xFF), 2).next(), "only fill bytes");
        Segments cut = new Segments(bytes(0xFF, 0xD8, 0xFF, 0xDB, 0), 2);
        assertEquals(0xDB, cut.next());
        assertEquals(Segments.NO_LENGTH, cut.length());
        Segments tooShort = new Segments(bytes(0xFF, 0xD8, 0xFF, 0xDB, 0, 1, 0xFF, 0xD9), 2);
        tooShort.next();
        assertEquals(Segments.BAD_LENGTH, tooShort.length(), "a length under 2 would not move on");
        Segments tooLong = new Segments(bytes(0xFF, 0xD8, 0xFF, 0xDB, 0, 5, 0, 0), 2);
        tooLong.next();
        assertEquals(Segments.BAD_LENGTH, tooLong.length(), "past the end");
    }
}
