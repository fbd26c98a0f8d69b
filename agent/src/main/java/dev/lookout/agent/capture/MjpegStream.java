package dev.lookout.agent.capture;

import java.awt.image.BufferedImage;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import javax.imageio.ImageIO;

/**
 * JPEGs one after another on a byte stream (ffmpeg's {@code -f mjpeg}, {@code rpicam-vid --codec
 * mjpeg}, a FIFO): each is cut out by walking its marker segments — so an embedded EXIF thumbnail
 * cannot end it early — kept byte for byte, and decoded. Bytes between images are skipped.
 */
public final class MjpegStream implements FrameStream {
    /** Larger than any frame a camera sends: a stream that never ends an image is broken. */
    static final int MAX_FRAME_BYTES = 16 << 20;

    private final InputStream in;
    private final Closeable owner;
    private final double fps;
    private long index;

    /**
     * @param owner closed with the stream (a process, say); may be {@code null}
     * @param fps   the source's frame rate, which times the frames from its start
     */
    public MjpegStream(InputStream in, Closeable owner, double fps) {
        this.in = new BufferedInputStream(in, 64 * 1024);
        this.owner = owner;
        this.fps = fps;
    }

    @Override
    public Frame next() throws IOException {
        byte[] jpeg = nextJpeg();
        if (jpeg == null) {
            return null;
        }
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(jpeg));
        if (image == null) {
            throw new IOException("undecodable JPEG in the stream (frame " + index + ")");
        }
        return Frame.atRate(index++, fps, image, jpeg);
    }

    /** The next whole JPEG, or {@code null} at the end of the stream. */
    byte[] nextJpeg() throws IOException {
        int previous = -1;
        int b;
        while ((b = in.read()) >= 0) {
            if (previous == 0xFF && b == 0xD8) {
                return readAfterStart();
            }
            previous = b;
        }
        return null;
    }

    /** Reads the rest of a JPEG whose SOI was just read: segments, scans, up to EOI. */
    private byte[] readAfterStart() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128 * 1024);
        out.write(0xFF);
        out.write(0xD8);
        int marker = nextMarker(out);
        while (marker != 0xD9) {
            if (marker == 0x01 || marker >= 0xD0 && marker <= 0xD7) {
                marker = nextMarker(out);
                continue;
            }
            int high = read();
            int low = read();
            out.write(high);
            out.write(low);
            int length = (high << 8 | low) - 2;
            if (length < 0) {
                throw new IOException("bad segment length in the stream");
            }
            copy(length, out);
            marker = marker == 0xDA ? scan(out) : nextMarker(out);
        }
        return out.toByteArray();
    }

    /** Reads the next marker (after any fill bytes), copies it, and returns it. */
    private int nextMarker(ByteArrayOutputStream out) throws IOException {
        if (read() != 0xFF) {
            throw new IOException("expected a JPEG marker in the stream");
        }
        int marker;
        do {
            marker = read();
        } while (marker == 0xFF);
        out.write(0xFF);
        out.write(marker);
        return marker;
    }

    /** Copies entropy-coded data and the marker that ends it; returns that marker. */
    private int scan(ByteArrayOutputStream out) throws IOException {
        int previous = 0;
        while (true) {
            int b = read();
            out.write(b);
            if (previous == 0xFF && b != 0x00 && b != 0xFF && (b < 0xD0 || b > 0xD7)) {
                return b;
            }
            previous = b;
            if (out.size() > MAX_FRAME_BYTES) {
                throw new IOException("a frame in the stream exceeds " + MAX_FRAME_BYTES + " bytes");
            }
        }
    }

    private void copy(int length, ByteArrayOutputStream out) throws IOException {
        if (out.size() + length > MAX_FRAME_BYTES) {
            throw new IOException("a frame in the stream exceeds " + MAX_FRAME_BYTES + " bytes");
        }
        byte[] bytes = in.readNBytes(length);
        if (bytes.length < length) {
            throw new EOFException("the stream ended inside a JPEG");
        }
        out.write(bytes);
    }

    private int read() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("the stream ended inside a JPEG");
        }
        return b;
    }

    @Override
    public void close() throws IOException {
        try {
            in.close();
        } finally {
            if (owner != null) {
                owner.close();
            }
        }
    }
}
