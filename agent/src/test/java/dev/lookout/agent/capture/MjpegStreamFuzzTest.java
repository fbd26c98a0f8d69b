package dev.lookout.agent.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Coverage-guided fuzzing (Jazzer) of the MJPEG cutter on any bytes, read whole and a few bytes at a
 * time (a pipe that gives what it has): both must cut the same JPEGs, each starting with SOI and ending
 * with EOI, and end the same way (the end of the stream, or the same refusal). The last byte of the
 * input sets the size of the short reads. Seeds: real frames with padding and garbage between them,
 * in {@code MjpegStreamFuzzTestInputs/cut}.
 */
class MjpegStreamFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void cut(byte[] stream) {
        int chunk = stream.length == 0 ? 1 : 1 + (stream[stream.length - 1] & 0x3F) * 97 % 1500;
        List<Object> whole = frames(new ByteArrayInputStream(stream));
        List<Object> slow = frames(new Trickle(stream, chunk));
        assertEquals(whole.size(), slow.size(), "frames cut with reads of " + chunk + " bytes");
        long total = 0;
        for (int i = 0; i < whole.size(); i++) {
            if (whole.get(i) instanceof byte[] jpeg) {
                assertArrayEquals(jpeg, (byte[]) slow.get(i));
                assertEquals(0xFFD8, (jpeg[0] & 0xFF) << 8 | jpeg[1] & 0xFF);
                assertEquals(0xFFD9, (jpeg[jpeg.length - 2] & 0xFF) << 8 | jpeg[jpeg.length - 1] & 0xFF);
                total += jpeg.length;
            } else {
                assertEquals(whole.get(i), slow.get(i));
            }
        }
        assertEquals(true, total <= stream.length, "no more bytes out than in");
    }

    /** The JPEGs cut from {@code in}, then the class of the exception that ended it, if any. */
    private static List<Object> frames(InputStream in) {
        List<Object> frames = new ArrayList<>();
        try (MjpegStream stream = new MjpegStream(in, 5)) {
            byte[] jpeg;
            while ((jpeg = stream.nextJpeg()) != null) {
                frames.add(jpeg);
            }
        } catch (IOException e) {
            frames.add(e.getClass());
        }
        return frames;
    }

    /** Gives at most {@code chunk} bytes a read, fewer every other read. */
    private static final class Trickle extends ByteArrayInputStream {
        private final int chunk;
        private int reads;

        Trickle(byte[] bytes, int chunk) {
            super(bytes);
            this.chunk = chunk;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            int most = ++reads % 2 == 0 ? Math.max(1, chunk / 3) : chunk;
            return super.read(b, off, Math.min(len, most));
        }
    }
}
