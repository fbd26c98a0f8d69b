package dev.lookout.receiver.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reading the image tree {@code <root>/<camera>/<YYYY-MM-DD>/<name>.jpg}: what the gallery shows
 * and what retention may remove. Hidden entries ({@code .ids}, temporaries, the gallery's own
 * folder) and anything else a person put there (a {@code keep/} folder, notes) are not images.
 */
public final class ImageTree {
    private static final Pattern DAY = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    private ImageTree() {
    }

    /** A stored image: mtime is its capture time. */
    public record Image(String camera, String day, Path path, long captureMillis, long bytes) {
        public String name() {
            return path.getFileName().toString();
        }

        /** {@code camera/day/name}, as the receiver replied it. */
        public String relative() {
            return camera + "/" + day + "/" + name();
        }
    }

    /** The camera folders, by name. */
    /**
     * When the store last published an image ({@code .stored}'s time), {@code null} before the first:
     * a run that finds it changed after a pass goes round again.
     */
    public static FileTime storedTime(Path root) throws IOException {
        Path stored = root.resolve(ImageStore.STORED);
        return Files.exists(stored) ? Files.getLastModifiedTime(stored) : null;
    }

    public static List<String> cameras(Path root) throws IOException {
        return folders(root, name -> !name.startsWith("."));
    }

    /** A camera's day folders, oldest first. */
    public static List<String> days(Path root, String camera) throws IOException {
        return folders(root.resolve(camera), name -> DAY.matcher(name).matches());
    }

    /** A day's images, in name (time) order. */
    public static List<Image> images(Path root, String camera, String day) throws IOException {
        Path dir = root.resolve(camera).resolve(day);
        List<Image> images = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                String name = p.getFileName().toString();
                if (name.startsWith(".") || !name.endsWith(".jpg")) {
                    continue;
                }
                BasicFileAttributes a;
                try {
                    a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                } catch (java.nio.file.NoSuchFileException gone) {
                    continue; // removed meanwhile
                }
                if (a.isRegularFile()) {
                    images.add(new Image(camera, day, p, a.lastModifiedTime().toMillis(), a.size()));
                }
            }
        } catch (java.nio.file.NoSuchFileException gone) {
            return List.of();
        }
        images.sort(java.util.Comparator.comparing(Image::name));
        return images;
    }

    private static List<String> folders(Path dir, java.util.function.Predicate<String> wanted) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                    .map(p -> p.getFileName().toString()).filter(wanted).sorted().toList();
        }
    }
}
