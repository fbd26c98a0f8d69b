package dev.lookout.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FrameReaderTest {
    private static final byte[] IMAGE = "not checked at this layer".getBytes();
    private static final ImageCipher KEY = new ImageCipher(new byte[32]);

    private static byte[] frames(ImageCipher cipher, int count) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FrameWriter writer = new FrameWriter(out, cipher);
        for (int i = 0; i < count; i++) {
            writer.write("cam", 1000L * i, new byte[16], false, IMAGE);
        }
        return out.toByteArray();
    }

    @Test
    void readsFramesUntilACleanEnd() throws Exception {
        FrameReader reader = new FrameReader(new ByteArrayInputStream(frames(null, 3)), 100);
        for (int i = 0; i < 3; i++) {
            FrameReader.Frame frame = reader.next();
            assertEquals(1000L * i, frame.header().captureMillis());
            assertArrayEquals(IMAGE, frame.body());
            assertArrayEquals(FrameWriter.sha256(IMAGE), frame.header().sha256());
        }
        assertNull(reader.next());
    }

    @Test
    void anEncryptedFrameOpensWithTheKeyAndItsHeader() throws Exception {
        FrameReader.Frame frame = new FrameReader(new ByteArrayInputStream(frames(KEY, 1)), 100).next();
        assertEquals(IMAGE.length + ImageCipher.TAG_BYTES, frame.body().length);
        assertArrayEquals(IMAGE, KEY.open(frame.header().nonce(), frame.rawHeader(), frame.body()));
    }

    @Test
    void everyCutIsTruncatedOrAnEndBetweenFrames() throws Exception {
        byte[] two = frames(null, 2);
        int first = two.length / 2;
        for (int cut = 1; cut < two.length; cut++) {
            FrameReader reader = new FrameReader(new ByteArrayInputStream(Arrays.copyOf(two, cut)), 100);
            if (cut < first) {
                assertEquals(ErrorCode.TRUNCATED, assertThrows(ProtocolException.class, reader::next).code(), "cut " + cut);
            } else {
                reader.next();
                if (cut == first) {
                    assertNull(reader.next());
                } else {
                    assertEquals(ErrorCode.TRUNCATED, assertThrows(ProtocolException.class, reader::next).code());
                }
            }
        }
    }

    @Test
    void refusesAnImageOverTheLimitBeforeReadingIt() throws IOException {
        byte[] frame = frames(null, 1);
        byte[] headerOnly = Arrays.copyOf(frame, frame.length - IMAGE.length);
        FrameReader reader = new FrameReader(new ByteArrayInputStream(headerOnly), IMAGE.length - 1);
        assertEquals(ErrorCode.TOO_LARGE, assertThrows(ProtocolException.class, reader::next).code());
    }

    /** A header announcing close to 2 GiB, encrypted (length + tag passes the int range), then 10 bytes. */
    @Test
    void anAnnouncedLengthNearTheIntLimitIsRefusedNotAnOverflow() throws IOException {
        byte[] frame = announcing(Integer.MAX_VALUE - 1, KEY);
        FrameReader reader = new FrameReader(new ByteArrayInputStream(frame), Integer.MAX_VALUE);
        assertEquals(ErrorCode.TOO_LARGE, assertThrows(ProtocolException.class, reader::next).code());
    }

    /** Memory follows the bytes that arrive, not the length a header announces. */
    @Test
    void memoryFollowsTheBytesThatArrive() throws IOException {
        byte[] frame = announcing(1 << 30, null);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        FrameReader reader = new FrameReader(new ByteArrayInputStream(frame), 1L << 30);
        assertEquals(ErrorCode.TRUNCATED, assertThrows(ProtocolException.class, reader::next).code());
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 8 << 20, allocated + " bytes allocated for a 10-byte body");
    }

    private static byte[] announcing(int length, ImageCipher cipher) throws IOException {
        byte[] one = frames(cipher, 1);
        byte[] headerOnly = Arrays.copyOf(one, one.length - IMAGE.length - (cipher == null ? 0 : ImageCipher.TAG_BYTES) + 10);
        java.nio.ByteBuffer.wrap(headerOnly).putInt(32, length);
        return headerOnly;
    }
}
