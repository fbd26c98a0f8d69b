package dev.lookout.agent.capture;

import java.awt.image.BufferedImage;
import java.io.Closeable;
import java.io.IOException;

/** Where the small grey pictures for detection of a stream of JPEGs come from, one per JPEG, in order. */
interface SmallPictures extends Closeable {
    /**
     * The small grey picture (TYPE_BYTE_GRAY) of {@code jpeg}, the stream's next JPEG; {@code null}
     * when that frame has none and is to be skipped.
     */
    BufferedImage of(byte[] jpeg) throws IOException;
}
