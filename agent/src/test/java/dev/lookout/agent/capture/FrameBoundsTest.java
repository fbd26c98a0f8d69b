package dev.lookout.agent.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.lookout.agent.support.Jpegs;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The bounds on the work a camera's frame can cause: real frames (the fuzzing seeds) made hostile,
 * each refused cleanly — an IOException from the small decoder, no picture from {@link SmallDecoder}
 * (a damaged frame, skipped) — in bounded time.
 */
class FrameBoundsTest {
    private static final Duration BOUNDED = Duration.ofSeconds(5);

    private static byte[] seed(String name) throws IOException {
        try (InputStream in = FrameBoundsTest.class.getResourceAsStream("SmallJpegFuzzTestInputs/decode/" + name)) {
            return in.readAllBytes();
        }
    }

    /** {@code jpeg} with {@code inserted} put in at {@code at}. */
    private static byte[] insert(byte[] jpeg, int at, byte[] inserted) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, at);
        out.writeBytes(inserted);
        out.write(jpeg, at, jpeg.length - at);
        return out.toByteArray();
    }

    /** Where the first segment with the marker starts (its FF), walking the segments before the scan. */
    private static int segment(byte[] jpeg, int marker) {
        int at = 2;
        while ((jpeg[at + 1] & 0xFF) != marker) {
            at += 2 + ((jpeg[at + 2] & 0xFF) << 8 | jpeg[at + 3] & 0xFF);
        }
        return at;
    }

    private static byte[] repeat(byte[] unit, int times) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < times; i++) {
            out.writeBytes(unit);
        }
        return out.toByteArray();
    }

    /** Asserts that the small decoder refuses the frame with this message and detection skips it, in bounded time. */
    private static void refused(byte[] jpeg, String message) {
        assertTimeoutPreemptively(BOUNDED, () -> {
            IOException refusal = assertThrows(IOException.class, () -> new SmallJpeg(40, 2).decode(jpeg));
            assertEquals(message, refusal.getMessage());
            assertNull(new SmallDecoder(40).of(jpeg), "skipped as damaged");
        });
    }

    @Test
    void theSeedsThemselvesAreRead() throws IOException {
        for (String name : new String[] {"vtest-420.jpg", "vtest-grey.jpg", "restarts.jpg"}) {
            assertEquals(40, new SmallJpeg(40, 2).decode(seed(name)).getWidth(), name);
        }
    }

    @Test
    void aFloodOfMarkersIsRefused() throws IOException {
        byte[] comment = {(byte) 0xFF, (byte) 0xFE, 0, 2};
        refused(insert(seed("vtest-420.jpg"), 2, repeat(comment, SmallJpeg.MAX_MARKERS)),
                "over " + SmallJpeg.MAX_MARKERS + " markers in the JPEG");
        byte[] fill = {(byte) 0xFF, 0x01};
        refused(insert(seed("vtest-420.jpg"), 2, repeat(fill, 100_000)), "over " + SmallJpeg.MAX_MARKERS + " markers in the JPEG");
    }

    @Test
    void aFloodOfHuffmanTablesIsRefused() throws IOException {
        int tables = SmallJpeg.MAX_HUFFMAN_TABLES + 1;
        byte[] dht = new byte[4 + 17 * tables]; // tables of no codes: class 0, slot 0, sixteen zero counts
        dht[0] = (byte) 0xFF;
        dht[1] = (byte) 0xC4;
        dht[2] = (byte) ((dht.length - 2) >> 8);
        dht[3] = (byte) (dht.length - 2);
        refused(insert(seed("vtest-420.jpg"), 2, dht), "over " + SmallJpeg.MAX_HUFFMAN_TABLES + " Huffman tables in the JPEG");
    }

    @Test
    void aScanRepeatedIsRefused() throws IOException {
        byte[] jpeg = seed("vtest-420.jpg");
        int sos = segment(jpeg, 0xDA);
        // its scan (of all three components) four times: each scan with the luma would decode it all again
        byte[] scan = Arrays.copyOfRange(jpeg, sos, jpeg.length - 2);
        refused(insert(jpeg, jpeg.length - 2, repeat(scan, 3)), "more scans than components in the JPEG");
    }

    @Test
    void aFloodOfRestartMarkersIsRefused() throws IOException {
        byte[] grey = seed("vtest-grey.jpg"); // 160x120: 300 blocks
        int sos = segment(grey, 0xDA);
        int data = sos + 2 + ((grey[sos + 2] & 0xFF) << 8 | grey[sos + 3] & 0xFF);
        byte[] restart = {(byte) 0xFF, (byte) 0xD0};
        refused(insert(grey, data, repeat(restart, 1_000_000)), "more restart markers than restart intervals in the JPEG");
    }

    @Test
    void theLargestFrameWithLittleDataIsRefusedAtOnce() throws IOException {
        byte[] jpeg = seed("vtest-420.jpg");
        int sof = segment(jpeg, 0xC0);
        for (int i = 5; i <= 8; i++) {
            jpeg[sof + i] = (byte) (i % 2 == 1 ? SmallJpeg.MAX_SIDE >> 8 : 0); // 8192x8192, three components
        }
        refused(jpeg, "the JPEG's coded data ends early");
    }

    @Test
    void aSegmentLengthThatWouldGoBackIsRefused() throws IOException {
        byte[] jpeg = seed("vtest-420.jpg");
        int sof = segment(jpeg, 0xC0);
        jpeg[sof + 2] = 0;
        jpeg[sof + 3] = 1;
        refused(jpeg, "bad segment length in the JPEG");
    }

    /** Frames too narrow to decode small go to ImageIO only up to Full HD, as their header says. */
    @Test
    void theFullDecodeTakesFramesUpToFullHdOnly() throws IOException {
        SmallDecoder decoder = new SmallDecoder(SmallDecoder.MAX_FULL_WIDTH / 2);
        assertNotNull(decoder.of(progressive(SmallDecoder.MAX_FULL_WIDTH, SmallDecoder.MAX_FULL_HEIGHT)));
        byte[] larger = progressive(SmallDecoder.MAX_FULL_WIDTH, SmallDecoder.MAX_FULL_HEIGHT + 8);
        assertTimeoutPreemptively(Duration.ofMillis(200), () -> assertNull(decoder.of(larger)));
        byte[] headless = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xFE, 0, 2, (byte) 0xFF, (byte) 0xD9};
        assertNull(decoder.of(headless), "no frame header: not handed to ImageIO");
    }

    private static byte[] progressive(int width, int height) throws IOException {
        return Jpegs.progressive(new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY));
    }
}
