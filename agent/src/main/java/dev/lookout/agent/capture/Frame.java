package dev.lookout.agent.capture;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/**
 * One captured frame: its position and time, the camera's own JPEG bytes where it delivered JPEG,
 * a small grey picture for detection where the source made one, and the full picture — decoded
 * from the JPEG only when something asks for it (an overlay), never for detection.
 */
public final class Frame {
    private final long index;
    private final long captureMillis;
    private final byte[] jpeg;
    private final BufferedImage small;
    private volatile BufferedImage image;

    /**
     * @param index         its position in the source, from 0
     * @param captureMillis when it was taken, milliseconds since the epoch (or since the start, for files)
     * @param image         the picture; {@code null} when {@code jpeg} holds it
     * @param jpeg          the camera's own JPEG bytes when it delivered JPEG, so that a still can be sent
     *                      without decoding and encoding again; {@code null} otherwise
     * @param small         a reduced grey picture (TYPE_BYTE_GRAY) for detection; {@code null} to use {@code image}
     */
    public Frame(long index, long captureMillis, BufferedImage image, byte[] jpeg, BufferedImage small) {
        if (image == null && jpeg == null) {
            throw new IllegalArgumentException("a frame needs a picture or its JPEG");
        }
        this.index = index;
        this.captureMillis = captureMillis;
        this.image = image;
        this.jpeg = jpeg;
        this.small = small;
    }

    /** A frame with its full picture (and, where the camera gave them, its JPEG bytes). */
    public Frame(long index, long captureMillis, BufferedImage image, byte[] jpeg) {
        this(index, captureMillis, image, jpeg, null);
    }

    /** Frame {@code index} of a source at {@code fps}, timed from the source's start. */
    public static Frame atRate(long index, double fps, BufferedImage image, byte[] jpeg) {
        return new Frame(index, time(index, fps), image, jpeg, null);
    }

    /** Frame {@code index} of a source at {@code fps} as the camera's JPEG and a small grey picture. */
    public static Frame atRate(long index, double fps, byte[] jpeg, BufferedImage small) {
        return new Frame(index, time(index, fps), null, jpeg, small);
    }

    private static long time(long index, double fps) {
        return Math.round(index * 1000 / fps);
    }

    /** The same frame, taken at another time (a live source stamps frames with the clock). */
    public Frame at(long millis) {
        return new Frame(index, millis, image, jpeg, small);
    }

    public long index() {
        return index;
    }

    public long captureMillis() {
        return captureMillis;
    }

    /** The camera's own JPEG bytes, or {@code null} when it did not deliver JPEG. */
    public byte[] jpeg() {
        return jpeg;
    }

    /** What detection looks at: the small grey picture where there is one, else the full picture. */
    public BufferedImage detectionImage() {
        return small != null ? small : image();
    }

    /** The full picture, decoded from the JPEG on first use. */
    public BufferedImage image() {
        BufferedImage decoded = image;
        if (decoded == null) {
            try {
                decoded = ImageIO.read(new ByteArrayInputStream(jpeg));
            } catch (IOException e) {
                throw new UncheckedIOException("undecodable JPEG (frame " + index + ")", e);
            }
            if (decoded == null) {
                throw new UncheckedIOException(new IOException("undecodable JPEG (frame " + index + ")"));
            }
            image = decoded;
        }
        return decoded;
    }
}
