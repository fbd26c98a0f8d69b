package dev.lookout.agent.capture;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * JPEGs one after another on a byte stream (ffmpeg's {@code -f mjpeg}, {@code rpicam-vid --codec
 * mjpeg}, a FIFO): read in blocks into a buffer, each JPEG is found there by walking its marker
 * segments — so an embedded EXIF thumbnail cannot end it early — and copied out byte for byte.
 * Bytes between images — a UVC camera's padding after each JPEG's end, which ffmpeg copies with
 * it, or garbage — are skipped, however many; a start of image that turns out not to be one (a
 * marker where there can be none) is skipped too, and the search goes on after it. Detection
 * decodes the JPEGs ({@link SmallFrames}).
 */
public final class MjpegStream implements FrameStream {
    /** Larger than any frame a camera sends: a stream that never ends an image is broken. */
    static final int MAX_FRAME_BYTES = 16 << 20;
    /**
     * The most asked of one read: a pipe holds 64 KiB, and a larger request makes the JDK allocate
     * (and, past 128 KiB, map and unmap) a native buffer for each read.
     */
    private static final int BLOCK = 64 * 1024;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** What is closed with the stream: told whether the stream had ended by itself. */
    interface Owner {
        void close(boolean ended) throws IOException;
    }

    private final InputStream in;
    private final Owner owner;
    private final double fps;
    private byte[] buffer = new byte[256 * 1024];
    /** The unconsumed bytes are {@code buffer[start, limit)}. */
    private int start;
    private int limit;
    private volatile boolean ended;
    private final AtomicBoolean closed = new AtomicBoolean();
    private long index;

    /**
     * @param owner closed with the stream (a process, say); may be {@code null}
     * @param fps   the source's frame rate, which times the frames from its start
     */
    MjpegStream(InputStream in, Owner owner, double fps) {
        this.in = in;
        this.owner = owner;
        this.fps = fps;
    }

    /** JPEGs on {@code in}, decoded by whoever needs their pixels. */
    public MjpegStream(InputStream in, double fps) {
        this(in, null, fps);
    }

    @Override
    public Frame next() throws IOException {
        byte[] jpeg = nextJpeg();
        return jpeg == null ? null : Frame.atRate(index++, fps, jpeg, null);
    }

    /** The next whole JPEG, or {@code null} at the end of the stream. */
    byte[] nextJpeg() throws IOException {
        while (findStart()) {
            int length = jpegLength();
            if (length > 0) {
                byte[] jpeg = Arrays.copyOfRange(buffer, start, start + length);
                start += length;
                return jpeg;
            }
            start += 2; // not a JPEG after all: look for the next start of image after this one
        }
        return null;
    }

    /** The length of the JPEG that starts the unconsumed bytes, or 0 where they hold no JPEG's structure. */
    private int jpegLength() throws IOException {
        int at = 2;
        while (true) {
            require(at + 2);
            if (buffer[start + at] != (byte) 0xFF) {
                return 0;
            }
            at++;
            while (buffer[start + at] == (byte) 0xFF) {
                at++;
                require(at + 1);
            }
            int marker = buffer[start + at++] & 0xFF;
            if (marker == 0xD9) {
                return at;
            }
            if (marker == 0xD8) {
                return 0;
            }
            if (marker == 0x01 || marker >= 0xD0 && marker <= 0xD7) {
                continue;
            }
            require(at + 2);
            int length = (buffer[start + at] & 0xFF) << 8 | buffer[start + at + 1] & 0xFF;
            if (length < 2) {
                return 0;
            }
            at += length;
            require(at);
            if (marker == 0xDA) {
                at = scan(at);
            }
        }
    }

    /** Skips to the next SOI (FF D8), which then starts the unconsumed bytes; false at the end of the stream. */
    private boolean findStart() throws IOException {
        while (true) {
            byte[] b = buffer;
            for (int i = start, end = limit - 1; i < end; i++) {
                // eight bytes at a step while none is FF (padding, garbage)
                if (i + Long.BYTES <= end && !hasFF((long) LONGS.get(b, i))) {
                    i += Long.BYTES - 1;
                    continue;
                }
                if (b[i] == (byte) 0xFF && b[i + 1] == (byte) 0xD8) {
                    start = i;
                    return true;
                }
            }
            start = Math.max(start, limit - 1);
            if (!fill()) {
                return false;
            }
        }
    }

    /**
     * Finds the marker that ends the entropy-coded data from {@code at} (an FF not followed by 00, FF
     * or a restart marker); returns its offset from the start of the JPEG.
     */
    private int scan(int at) throws IOException {
        while (true) {
            byte[] b = buffer;
            for (int i = start + at, end = limit - 1; i < end; i++) {
                // eight bytes at a step while none is FF (almost all of the entropy-coded data)
                if (i + Long.BYTES <= end && !hasFF((long) LONGS.get(b, i))) {
                    i += Long.BYTES - 1;
                    continue;
                }
                if (b[i] == (byte) 0xFF) {
                    int next = b[i + 1] & 0xFF;
                    if (next != 0x00 && next != 0xFF && (next < 0xD0 || next > 0xD7)) {
                        return i - start;
                    }
                }
            }
            at = Math.max(at, limit - 1 - start);
            require(limit - start + 1);
        }
    }

    /** Whether any of the eight bytes is FF (a zero byte of the complement, found without a loop). */
    static boolean hasFF(long bytes) {
        long inverted = ~bytes;
        return ((inverted - 0x0101010101010101L) & ~inverted & 0x8080808080808080L) != 0;
    }

    /** Makes sure {@code n} bytes from the start of the JPEG are in the buffer. */
    private void require(int n) throws IOException {
        if (n > MAX_FRAME_BYTES) {
            throw new IOException("a frame in the stream exceeds " + MAX_FRAME_BYTES + " bytes");
        }
        while (limit - start < n) {
            if (!fill()) {
                throw new EOFException("the stream ended inside a JPEG");
            }
        }
    }

    /** Reads a block more into the buffer, moving or growing it when full; false at the end of the stream. */
    private boolean fill() throws IOException {
        if (ended) {
            return false;
        }
        if (limit == buffer.length) {
            if (start > 0) {
                System.arraycopy(buffer, start, buffer, 0, limit - start);
                limit -= start;
                start = 0;
            } else {
                buffer = Arrays.copyOf(buffer, Math.min(buffer.length * 2, MAX_FRAME_BYTES + 64 * 1024));
            }
        }
        int n = in.read(buffer, limit, Math.min(BLOCK, buffer.length - limit));
        if (n < 0) {
            ended = true;
            return false;
        }
        limit += n;
        return true;
    }

    /**
     * Ends the stream: its owner first (a process killed at once unless it had ended), then its
     * input. Another thread may close it while one reads it; only the first call counts.
     */
    @Override
    public void close() throws IOException {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            if (owner != null) {
                owner.close(ended);
            }
        } finally {
            in.close();
        }
    }
}
