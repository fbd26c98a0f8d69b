package dev.lookout.agent.capture;

import java.awt.image.BufferedImage;
import java.io.IOException;

/**
 * The JPEG frames of another stream, each with its small grey picture for detection decoded in this
 * process ({@link SmallDecoder}); a frame that cannot be decoded is skipped. Closing it closes the
 * other stream (from any thread, as that stream allows).
 */
final class SmallFrames implements FrameStream {
    private final FrameStream jpegs;
    private final SmallDecoder decoder;

    /** @param jpegs frames that carry their JPEG bytes */
    SmallFrames(FrameStream jpegs, SmallDecoder decoder) {
        this.jpegs = jpegs;
        this.decoder = decoder;
    }

    @Override
    public Frame next() throws IOException {
        Frame frame;
        while ((frame = jpegs.next()) != null) {
            BufferedImage small = decoder.of(frame.jpeg());
            if (small != null) {
                return new Frame(frame.index(), frame.captureMillis(), null, frame.jpeg(), small);
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        jpegs.close();
    }
}
