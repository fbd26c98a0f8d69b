package dev.lookout.receiver.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Listings of an image tree, hidden files included, to assert that nothing appeared. */
public final class Trees {
    private Trees() {
    }

    /** Every regular file and symlink below {@code root}, relative, sorted; lock files and the .stored signal left out. */
    public static List<String> files(Path root) {
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> !Files.isDirectory(p) || Files.isSymbolicLink(p))
                    .filter(p -> !p.getFileName().toString().equals(".lock"))
                    .filter(p -> !p.getFileName().toString().equals(".stored"))
                    .map(p -> root.relativize(p).toString()).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The stored images only (JPEGs, no hidden files, no latest.jpg). */
    public static List<String> images(Path root) {
        return files(root).stream().filter(f -> f.endsWith(".jpg") && !f.contains("/.") && !f.startsWith(".")
                        && !f.endsWith("latest.jpg"))
                .collect(Collectors.toList());
    }
}
