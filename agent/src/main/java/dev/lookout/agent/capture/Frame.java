package dev.lookout.agent.capture;

import java.awt.image.BufferedImage;

/**
 * One captured frame.
 *
 * @param index         its position in the source, from 0
 * @param captureMillis when it was taken, milliseconds since the epoch (or since the start, for files)
 * @param image         the picture
 * @param jpeg          the camera's own JPEG bytes when it delivered JPEG, so that a still can be sent
 *                      without decoding and encoding again; {@code null} otherwise
 */
public record Frame(long index, long captureMillis, BufferedImage image, byte[] jpeg) {
    /** Frame {@code index} of a source at {@code fps}, timed from the source's start. */
    public static Frame atRate(long index, double fps, BufferedImage image, byte[] jpeg) {
        return new Frame(index, Math.round(index * 1000 / fps), image, jpeg);
    }
}
