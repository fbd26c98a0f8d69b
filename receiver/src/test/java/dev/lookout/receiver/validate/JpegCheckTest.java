package dev.lookout.receiver.validate;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lookout.protocol.ErrorCode;
import dev.lookout.protocol.ProtocolException;
import dev.lookout.receiver.support.Jpegs;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class JpegCheckTest {
    private static final byte[] COLOUR = Jpegs.noise(64, 48, 3);

    @Test
    void acceptsRealJpegs() {
        assertDoesNotThrow(() -> JpegCheck.check(Jpegs.noise(640, 480, 1)));
        assertDoesNotThrow(() -> JpegCheck.check(Jpegs.grey(33, 17, 2)));
        assertDoesNotThrow(() -> JpegCheck.check(Jpegs.progressive(320, 240, 3)));
        assertDoesNotThrow(() -> JpegCheck.check(Arrays.copyOf(COLOUR, COLOUR.length + 16)));
    }

    @Test
    void refusesEveryTruncation() {
        for (int length = 0; length < COLOUR.length; length++) {
            byte[] cut = Arrays.copyOf(COLOUR, length);
            assertBad(cut, "length " + length);
        }
    }

    @Test
    void refusesGarbageAfterTheEnd() {
        byte[] trailing = Arrays.copyOf(COLOUR, COLOUR.length + 4);
        trailing[trailing.length - 1] = 'x';
        assertBad(trailing, "data after EOI");
    }

    @Test
    void refusesZeroOrHugeDimensions() {
        int sof = indexOf(COLOUR, 0xC0);
        byte[] zero = COLOUR.clone();
        ByteBuffer.wrap(zero).putShort(sof + 5, (short) 0);
        assertBad(zero, "dimensions");
        byte[] huge = COLOUR.clone();
        ByteBuffer.wrap(huge).putShort(sof + 7, (short) 20000);
        assertBad(huge, "dimensions");
    }

    @Test
    void refusesAScanWithoutAFrameHeader() {
        byte[] noFrame = COLOUR.clone();
        noFrame[indexOf(COLOUR, 0xC0) + 1] = (byte) 0xE5;
        assertBad(noFrame, "scan before frame header");
    }

    @Test
    void refusesASegmentRunningPastTheEnd() {
        byte[] longSegment = COLOUR.clone();
        ByteBuffer.wrap(longSegment).putShort(4, (short) 0xFFF0);
        assertBad(longSegment, "truncated segment");
    }

    @Test
    void refusesWhatIsNoJpegAtAll() {
        assertBad("GIF89a and so on".getBytes(), "SOI");
        assertBad(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xD9}, "EOI before any image data");
    }

    private static int indexOf(byte[] jpeg, int marker) {
        for (int i = 0; i + 1 < jpeg.length; i++) {
            if ((jpeg[i] & 0xff) == 0xFF && (jpeg[i + 1] & 0xff) == marker) {
                return i;
            }
        }
        throw new AssertionError("no marker " + marker);
    }

    private static void assertBad(byte[] bytes, String why) {
        ProtocolException e = assertThrows(ProtocolException.class, () -> JpegCheck.check(bytes), why);
        assertEquals(ErrorCode.BAD_IMAGE, e.code());
        assertTrue(e.getMessage().startsWith("not a valid JPEG"), e.getMessage());
        if (!why.startsWith("length")) {
            assertTrue(e.getMessage().contains(why), e.getMessage() + " / " + why);
        }
    }
}
