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
import java.util.HexFormat;
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

    /** The hostile campaign's input: a frame header, an SOS of length 2, no tables, EOI. ImageIO refuses it. */
    @Test
    void refusesAScanWithoutComponentsOrTables() {
        byte[] tiny = HexFormat.of().parseHex("FFD8FFC0000B080001000101011100FFDA0002FFD9");
        assertBad(tiny, "");
        assertThrows(javax.imageio.IIOException.class, () -> javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(tiny)));
    }

    @Test
    void refusesAScanHeaderOfTheWrongLength() {
        byte[] wrong = COLOUR.clone();
        int sos = indexOf(COLOUR, 0xDA);
        wrong[sos + 3] = (byte) (wrong[sos + 3] - 2); // one component fewer than the count says
        assertBad(wrong, "");
    }

    @Test
    void refusesAScanOfAComponentTheFrameLacks() {
        byte[] wrong = COLOUR.clone();
        int sos = indexOf(COLOUR, 0xDA);
        wrong[sos + 5] = 9;
        assertBad(wrong, "component");
    }

    @Test
    void refusesAFrameWhoseQuantisationTableIsMissing() {
        byte[] noTables = without(COLOUR, 0xDB);
        assertBad(noTables, "quantisation table");
    }

    /** A stream without Huffman tables (a webcam's MJPEG frame) decodes with the standard ones: accepted, as ImageIO does. */
    @Test
    void acceptsAStreamWithoutHuffmanTables() throws Exception {
        byte[] mjpeg = without(COLOUR, 0xC4);
        assertTrue(mjpeg.length < COLOUR.length);
        assertDoesNotThrow(() -> JpegCheck.check(mjpeg));
        assertTrue(javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(mjpeg)) != null);
    }

    @Test
    void refusesPrecisionsAndCodingsTheDecoderLacks() {
        byte[] twelveBit = COLOUR.clone();
        twelveBit[indexOf(COLOUR, 0xC0) + 4] = 12;
        assertBad(twelveBit, "precision");
        byte[] arithmetic = COLOUR.clone();
        arithmetic[indexOf(COLOUR, 0xC0) + 1] = (byte) 0xC9;
        assertBad(arithmetic, "frame type");
    }

    /** {@code jpeg} without its segments of type {@code marker} (before the first scan). */
    private static byte[] without(byte[] jpeg, int marker) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        int pos = 2;
        while ((jpeg[pos + 1] & 0xff) != 0xDA) {
            int length = ((jpeg[pos + 2] & 0xff) << 8) | (jpeg[pos + 3] & 0xff);
            if ((jpeg[pos + 1] & 0xff) != marker) {
                out.write(jpeg, pos, length + 2);
            }
            pos += length + 2;
        }
        out.write(jpeg, pos, jpeg.length - pos);
        return out.toByteArray();
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
