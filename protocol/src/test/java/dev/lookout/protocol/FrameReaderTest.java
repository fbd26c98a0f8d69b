package dev.lookout.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
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
}
