package dev.lookout.agent.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.Test;

class MjpegStreamTest {
    private static byte[] jpeg(long seed, boolean progressive) throws IOException {
        SyntheticScene scene = SyntheticScene.builder(96, 64).seed(seed).frames(1).build();
        BufferedImage image = scene.next().image();
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (progressive) {
                param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            }
            writer.write(null, new IIOImage(image, null, null), param);
        }
        return out.toByteArray();
    }

    /** A JPEG with an APP1 segment holding the bytes FF D9 (as an EXIF thumbnail's own end does). */
    private static byte[] withThumbnailLikeSegment(byte[] jpeg) {
        byte[] app = {(byte) 0xFF, (byte) 0xE1, 0, 8, (byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xD9, 0, 0};
        byte[] out = new byte[jpeg.length + app.length];
        out[0] = (byte) 0xFF;
        out[1] = (byte) 0xD8;
        System.arraycopy(app, 0, out, 2, app.length);
        System.arraycopy(jpeg, 2, out, 2 + app.length, jpeg.length - 2);
        return out;
    }

    @Test
    void cutsEveryJpegOutByteForByteAndSkipsWhatLiesBetween() throws IOException {
        List<byte[]> frames = List.of(jpeg(1, false), withThumbnailLikeSegment(jpeg(2, false)), jpeg(3, true), jpeg(4, false));
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (byte[] frame : frames) {
            stream.write("--boundary\r\nContent-Type: image/jpeg\r\n\r\n".getBytes());
            stream.write(frame);
        }
        try (MjpegStream mjpeg = new MjpegStream(new ByteArrayInputStream(stream.toByteArray()), 5)) {
            for (int i = 0; i < frames.size(); i++) {
                Frame frame = mjpeg.next();
                assertArrayEquals(frames.get(i), frame.jpeg(), "frame " + i);
                assertEquals(i, frame.index());
                assertEquals(i * 200L, frame.captureMillis());
                assertEquals(96, frame.image().getWidth());
            }
            assertNull(mjpeg.next());
        }
    }

    /** A stream that counts the reads asked of it and gives at most {@code chunk} bytes to each. */
    private static final class CountingStream extends java.io.FilterInputStream {
        private final int chunk;
        int reads;

        CountingStream(byte[] bytes, int chunk) {
            super(new ByteArrayInputStream(bytes));
            this.chunk = chunk;
        }

        @Override
        public int read() throws IOException {
            reads++;
            return super.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            reads++;
            return super.read(b, off, Math.min(len, chunk));
        }
    }

    private static byte[] concatenated(List<byte[]> frames) throws IOException {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (byte[] frame : frames) {
            stream.write(frame);
            stream.write("\r\n--frame\r\n\r\n".getBytes());
        }
        return stream.toByteArray();
    }

    @Test
    void readsTheStreamInBlocksNotByteByByte() throws IOException {
        List<byte[]> frames = List.of(jpeg(1, false), jpeg(2, true), jpeg(3, false), jpeg(4, false));
        byte[] bytes = concatenated(frames);
        CountingStream in = new CountingStream(bytes, Integer.MAX_VALUE);
        try (MjpegStream mjpeg = new MjpegStream(in, 5)) {
            for (byte[] frame : frames) {
                assertArrayEquals(frame, mjpeg.next().jpeg());
            }
            assertNull(mjpeg.next());
        }
        assertTrue(in.reads <= 3, in.reads + " reads for " + bytes.length + " bytes");
    }

    @Test
    void jpegsSplitAcrossReadsAtEveryPlaceAreCutTheSame() throws IOException {
        List<byte[]> frames = List.of(jpeg(5, false), withThumbnailLikeSegment(jpeg(6, false)), jpeg(7, true));
        for (int chunk = 1; chunk <= 7; chunk++) {
            try (MjpegStream mjpeg = new MjpegStream(new CountingStream(concatenated(frames), chunk), 5)) {
                for (byte[] frame : frames) {
                    assertArrayEquals(frame, mjpeg.next().jpeg(), "reads of " + chunk + " bytes");
                }
                assertNull(mjpeg.next());
            }
        }
    }

    @Test
    void aStreamEndingInsideAJpegIsAnError() throws IOException {
        byte[] whole = jpeg(1, false);
        MjpegStream mjpeg = new MjpegStream(new ByteArrayInputStream(Arrays.copyOf(whole, whole.length - 5)), 5);
        assertThrows(EOFException.class, mjpeg::next);
    }
}
