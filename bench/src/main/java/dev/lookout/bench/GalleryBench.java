package dev.lookout.bench;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/**
 * The gallery on a tree of 20,000 images (2 cameras, 100 days, 100 a day): the first run (every
 * thumbnail made), then runs after one new image, and a run with nothing new, each as the
 * {@code .path} unit runs it (the launcher, {@code lookout-receiver gallery}): the command's own
 * figure (the work) and the whole command's wall time (JVM start included).
 * {@code bench/run gallery}.
 */
public final class GalleryBench {
    private static final Pattern TOOK = Pattern.compile(", (\\d+) ms;");
    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyy-MM-dd/HH-mm-ss.SSS");
    private static final int RUNS = 11;

    private GalleryBench() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Scratch.directory("lookout-gallery").resolve("images");
        byte[] jpeg = jpeg();
        Instant start = Instant.parse("2026-08-01T00:00:00Z");
        for (String camera : List.of("front-door", "garden")) {
            for (int day = 0; day < 100; day++) {
                for (int i = 0; i < 100; i++) {
                    write(root, camera, start.plusSeconds(day * 86_400L + i * 600L + 1), jpeg);
                }
            }
        }
        System.out.printf(Locale.ROOT, "20,000 images of %d bytes (640x480), %s, %d cores%n%n", jpeg.length,
                ReceiverBench.cpu(), Runtime.getRuntime().availableProcessors());
        System.out.println("| run | the gallery's own time | whole command (JVM start included) |");
        System.out.println("|---|---:|---:|");
        long[] first = gallery(root);
        System.out.printf(Locale.ROOT, "| first (20,000 thumbnails) | %.1f s | %.1f s |%n", first[0] / 1000.0, first[1] / 1000.0);
        List<Double> own = new ArrayList<>();
        List<Double> wall = new ArrayList<>();
        for (int run = 0; run < RUNS; run++) {
            write(root, "front-door", start.plusSeconds(99 * 86_400L + 60_000 + run), jpeg);
            long[] t = gallery(root);
            own.add((double) t[0]);
            wall.add((double) t[1]);
        }
        System.out.printf(Locale.ROOT, "| after one new image (p50 of %d) | **%.0f ms** | %.0f ms |%n", RUNS,
                ReceiverBench.percentile(own, 50), ReceiverBench.percentile(wall, 50));
        long[] idle = gallery(root);
        System.out.printf(Locale.ROOT, "| nothing new | %d ms | %d ms |%n", idle[0], idle[1]);
    }

    /** Runs the command; returns its own figure and the wall time, in ms. */
    private static long[] gallery(Path root) throws IOException, InterruptedException {
        long begin = System.nanoTime();
        Process p = new ProcessBuilder(Path.of("receiver/target/lookout-receiver").toAbsolutePath().toString(), "gallery",
                "--dir", root.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("gallery failed: " + out);
        }
        long wall = (System.nanoTime() - begin) / 1_000_000;
        Matcher m = TOOK.matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("no time in: " + out);
        }
        return new long[] {Long.parseLong(m.group(1)), wall};
    }

    private static void write(Path root, String camera, Instant taken, byte[] jpeg) throws IOException {
        Path file = root.resolve(camera).resolve(NAME.format(LocalDateTime.ofInstant(taken, ZoneId.of("UTC"))) + ".jpg");
        Files.createDirectories(file.getParent());
        Files.write(file, jpeg);
        Files.setLastModifiedTime(file, FileTime.from(taken));
    }

    /** A 640x480 camera-like still: smooth gradients, a little noise (about 30 KB). */
    private static byte[] jpeg() throws IOException {
        java.util.Random random = new java.util.Random(5);
        BufferedImage image = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 480; y++) {
            for (int x = 0; x < 640; x++) {
                int v = 60 + (x + y) * 120 / 1120 + random.nextInt(8);
                image.setRGB(x, y, v << 16 | (v + 20) << 8 | Math.min(255, v + 50));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpeg", out);
        return out.toByteArray();
    }
}
