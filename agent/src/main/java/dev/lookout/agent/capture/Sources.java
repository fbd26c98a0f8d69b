package dev.lookout.agent.capture;

import java.awt.Dimension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code --source} specifications this version knows: {@code synthetic} and {@code file:DIR}
 * (a folder of JPEGs). The V4L2, network, pipe, command and built-in sources are still to come.
 */
public final class Sources {
    private static final String FILE = "file:";

    private Sources() {
    }

    /** A stream of the source's frames from its start, for offline detection. */
    public static FrameStream open(String spec, Dimension size, double fps) throws IOException {
        if (spec.equals("synthetic")) {
            return SyntheticScene.demo(size.width, size.height, fps, 1);
        }
        if (spec.startsWith(FILE)) {
            Path path = Path.of(spec.substring(FILE.length()));
            if (!Files.isDirectory(path)) {
                throw new IllegalArgumentException("file: takes a folder of JPEGs in this version; " + path
                        + " is not a folder");
            }
            return new JpegDirectory(path, fps);
        }
        throw new IllegalArgumentException("unknown or not yet supported source '" + spec
                + "' (this version knows: synthetic, file:DIR)");
    }

    /** The source as a webcam-capture device that loops its stream. */
    public static StreamDevice device(String spec, Dimension size, double fps) throws IOException {
        open(spec, size, fps).close();
        return new StreamDevice(spec, size, fps, () -> {
            try {
                return open(spec, size, fps);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
