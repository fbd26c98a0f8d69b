package dev.lookout.agent.capture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code file:DIR}: the JPEGs of a folder in name order, as if taken at {@code fps}; each frame
 * keeps its file's bytes, decoded when detection looks at it.
 */
public final class JpegDirectory implements FrameStream {
    private final List<Path> files;
    private final double fps;
    private int next;

    public JpegDirectory(Path dir, double fps) throws IOException {
        try (Stream<Path> listing = Files.list(dir)) {
            this.files = listing.filter(JpegDirectory::isJpeg).sorted().collect(Collectors.toList());
        }
        if (files.isEmpty()) {
            throw new IOException("no .jpg or .jpeg files in " + dir);
        }
        this.fps = fps;
    }

    private static boolean isJpeg(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return Files.isRegularFile(p) && (name.endsWith(".jpg") || name.endsWith(".jpeg"));
    }

    @Override
    public Frame next() throws IOException {
        if (next >= files.size()) {
            return null;
        }
        Path file = files.get(next);
        long index = next++;
        return Frame.atRate(index, fps, Files.readAllBytes(file), null);
    }

    @Override
    public void close() {
        next = files.size();
    }
}
