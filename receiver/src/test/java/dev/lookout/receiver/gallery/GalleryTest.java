package dev.lookout.receiver.gallery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lookout.receiver.support.ImageTrees;
import dev.lookout.receiver.support.Jpegs;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.commons.io.file.PathUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gallery on real trees: what it writes, and that a second run writes only what changed. */
class GalleryTest {
    private static final Instant START = Instant.parse("2026-11-01T06:00:00Z");
    private static final byte[] JPEG = Jpegs.noise(640, 480, 3);

    @TempDir
    Path root;

    private static int count(String html, String what) {
        return (int) Pattern.compile(Pattern.quote(what)).matcher(html).results().count();
    }

    @Test
    void indexDayPagesAndThumbnails() throws Exception {
        ImageTrees.write(root, "door", START, Duration.ofHours(1), 60, JPEG); // 2026-11-01 06:00 .. 11-03 17:00
        ImageTrees.write(root, "gate", START, Duration.ofMinutes(5), 10, JPEG);
        Files.createDirectories(root.resolve("door/keep"));

        Gallery.Summary summary = new Gallery(root).update();

        assertEquals(new Gallery.Summary(2, 4, 4, 70, 70, 0), summary);
        String index = Files.readString(root.resolve("index.html"));
        assertTrue(index.indexOf("<h2>door</h2>") < index.indexOf("<h2>gate</h2>"));
        assertTrue(index.indexOf("2026-11-03") < index.indexOf("2026-11-01"), "newest day first");
        assertTrue(index.contains("2026-11-01 \u2014 18 images"), index);
        assertTrue(index.contains("src=\".gallery/thumbs/door/2026-11-03/17-00-00.000.jpg\""), "the day's latest thumbnail");
        String day = Files.readString(root.resolve(".gallery/pages/door/2026-11-02.html"));
        assertEquals(24, count(day, "class=\"thumb\""));
        assertTrue(day.contains("href=\"../../../door/2026-11-02/00-00-00.000.jpg\""), day);
        assertTrue(day.contains("src=\"../../thumbs/door/2026-11-02/00-00-00.000.jpg\""), day);
        assertTrue(day.contains("loading=\"lazy\""));
        BufferedImage thumb = ImageIO.read(root.resolve(".gallery/thumbs/door/2026-11-02/00-00-00.000.jpg").toFile());
        assertEquals(240, thumb.getWidth());
        assertEquals(180, thumb.getHeight());
        assertTrue(Files.size(root.resolve(".gallery/thumbs/door/2026-11-02/00-00-00.000.jpg")) < JPEG.length / 5, "small");
    }

    @Test
    void aSecondRunWritesOnlyTheDayThatChangedAndTheIndex() throws Exception {
        ImageTrees.write(root, "door", START, Duration.ofHours(1), 72, JPEG); // 4 days
        Gallery gallery = new Gallery(root);
        gallery.update();
        Map<Path, FileTime> before = times(root.resolve(".gallery"));
        assertEquals(new Gallery.Summary(1, 4, 0, 72, 0, 0), gallery.update(), "nothing changed: nothing written");
        assertEquals(before, times(root.resolve(".gallery")));

        ImageTrees.write(root, "door", START.plus(Duration.ofHours(30)).plusMillis(500), JPEG); // into 2026-11-02
        assertEquals(new Gallery.Summary(1, 4, 1, 73, 1, 0), gallery.update());
        Map<Path, FileTime> after = times(root.resolve(".gallery"));
        List<Path> changed = after.keySet().stream().filter(p -> !after.get(p).equals(before.get(p)))
                .map(p -> root.resolve(".gallery").relativize(p)).sorted().toList();
        assertEquals(List.of(Path.of("days.tsv"), Path.of("pages/door/2026-11-02.html"),
                Path.of("thumbs/door/2026-11-02/12-00-00.500.jpg")), changed);
    }

    @Test
    void daysAndImagesRemovedLeaveNoPagesOrThumbnailsBehind() throws Exception {
        ImageTrees.write(root, "door", START, Duration.ofHours(1), 48, JPEG); // 18, 24 and 6 on 3 days
        Gallery gallery = new Gallery(root);
        gallery.update();
        PathUtils.deleteDirectory(root.resolve("door/2026-11-01"));
        Files.delete(root.resolve("door/2026-11-02/05-00-00.000.jpg"));
        assertEquals(new Gallery.Summary(1, 2, 1, 29, 0, 0), gallery.update());
        assertFalse(Files.exists(root.resolve(".gallery/pages/door/2026-11-01.html")));
        assertFalse(Files.exists(root.resolve(".gallery/thumbs/door/2026-11-01")));
        assertFalse(Files.exists(root.resolve(".gallery/thumbs/door/2026-11-02/05-00-00.000.jpg")));
        assertFalse(Files.readString(root.resolve("index.html")).contains("2026-11-01"));
    }

    @Test
    void anUnreadableImageIsCountedNotFatal() throws Exception {
        ImageTrees.write(root, "door", START, Duration.ofMinutes(1), 3, JPEG);
        ImageTrees.write(root, "door", START.plusSeconds(30), "not a jpeg".getBytes());
        Gallery.Summary summary = new Gallery(root).update();
        assertEquals(1, summary.unreadable());
        assertEquals(3, summary.thumbnailsMade());
        assertEquals(4, count(Files.readString(root.resolve(".gallery/pages/door/2026-11-01.html")), "class=\"thumb\""));
    }

    @Test
    void anEmptyRootHasAnIndexSayingSo() throws Exception {
        assertEquals(new Gallery.Summary(0, 0, 0, 0, 0, 0), new Gallery(root).update());
        assertTrue(Files.readString(root.resolve("index.html")).contains("No images yet."));
    }

    private static Map<Path, FileTime> times(Path dir) throws Exception {
        Map<Path, FileTime> times = new HashMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                times.put(p, Files.getLastModifiedTime(p));
            }
        }
        return times;
    }
}
