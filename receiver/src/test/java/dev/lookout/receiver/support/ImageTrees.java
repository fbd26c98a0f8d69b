package dev.lookout.receiver.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** Image trees as the receiver lays them out (UTC names, mtime the capture time), written fast for retention and gallery tests. */
public final class ImageTrees {
    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyy-MM-dd/HH-mm-ss.SSS");

    private ImageTrees() {
    }

    /** {@code n} images of {@code camera}, the first at {@code first}, then every {@code step}; returns their relative paths. */
    public static List<String> write(Path root, String camera, Instant first, Duration step, int n, byte[] jpeg)
            throws IOException {
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Instant taken = first.plus(step.multipliedBy(i));
            paths.add(write(root, camera, taken, jpeg));
        }
        return paths;
    }

    /** One image; returns its path relative to the root. */
    public static String write(Path root, String camera, Instant taken, byte[] jpeg) throws IOException {
        String relative = camera + "/" + NAME.format(LocalDateTime.ofInstant(taken, ZoneOffset.UTC)) + ".jpg";
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.write(file, jpeg);
        Files.setLastModifiedTime(file, FileTime.from(taken));
        return relative;
    }
}
