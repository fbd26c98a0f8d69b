package dev.lookout.agent.capture;

import java.io.Closeable;
import java.io.IOException;

/** Frames in the order a source delivers them. */
public interface FrameStream extends Closeable {
    /** The next frame, or {@code null} when the source has ended. */
    Frame next() throws IOException;
}
