package dev.lookout.agent.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lookout.agent.detect.Footage;
import dev.lookout.agent.support.Jpegs;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The small decoder against ffmpeg's own picture ({@code -lowres L}, then the agent's filter
 * {@code scale=W:-2:flags=area,format=gray}) on frames of the real footage and on JPEGs made to
 * exercise what cameras send (no Huffman tables, restart markers, grey), and on damaged frames.
 */
class SmallJpegTest {
    private static final String DATA = "usr/share/doc/opencv-doc/examples/data/";
    /** At most this mean absolute difference from ffmpeg's picture, in grey levels (measured: 0.13). */
    private static final double MEAN_TOLERANCE = 0.5;
    /** At most this difference at any pixel (measured: 1). */
    private static final int MAX_TOLERANCE = 2;

    @TempDir
    Path dir;

    /** Frames of a video, every {@code every}th, written by ffmpeg with the given output options. */
    private List<Path> frames(Path video, String name, int every, String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-i",
                video.toString(), "-vf", "select=not(mod(n\\," + every + "))", "-fps_mode", "passthrough"));
        command.addAll(List.of(options));
        command.add(dir.resolve(name + "%03d.jpg").toString());
        assertEquals(0, new ProcessBuilder(command).inheritIO().start().waitFor());
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith(name)).sorted().toList();
        }
    }

    /** ffmpeg's small picture of a JPEG file, as the agent's ffmpeg makes it. */
    private static byte[] ffmpeg(Path jpeg, int lowres, int width) throws Exception {
        Process ffmpeg = new ProcessBuilder("ffmpeg", "-hide_banner", "-loglevel", "error", "-lowres", Integer.toString(lowres),
                "-i", jpeg.toString(), "-vf", "scale=" + width + ":-2:flags=area,format=gray", "-f", "rawvideo", "pipe:1")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        byte[] picture = ffmpeg.getInputStream().readAllBytes();
        assertEquals(0, ffmpeg.waitFor());
        return picture;
    }

    private static byte[] pixels(BufferedImage image) {
        assertEquals(BufferedImage.TYPE_BYTE_GRAY, image.getType());
        return ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
    }

    /** Decodes each file and compares with ffmpeg; returns the largest per-frame mean difference. */
    private static double compare(List<Path> files, int lowres, int width) throws Exception {
        assertFalse(files.isEmpty());
        SmallJpeg decoder = new SmallJpeg(width, lowres);
        double worst = 0;
        for (Path file : files) {
            BufferedImage mine = decoder.decode(Files.readAllBytes(file));
            byte[] theirs = ffmpeg(file, lowres, width);
            byte[] ours = pixels(mine);
            assertEquals(width, mine.getWidth());
            assertEquals(theirs.length, ours.length, "the same size as ffmpeg's picture: " + file);
            long sum = 0;
            int max = 0;
            for (int i = 0; i < ours.length; i++) {
                int difference = Math.abs((ours[i] & 0xFF) - (theirs[i] & 0xFF));
                sum += difference;
                max = Math.max(max, difference);
            }
            double mean = (double) sum / ours.length;
            assertTrue(mean <= MEAN_TOLERANCE, file + ": mean difference " + mean);
            assertTrue(max <= MAX_TOLERANCE, file + ": largest difference " + max);
            worst = Math.max(worst, mean);
        }
        return worst;
    }

    private static byte[] vtestFrame(List<Path> frames) throws IOException {
        return Files.readAllBytes(frames.get(frames.size() / 2));
    }

    @Test
    void realFramesOfPeopleWalkingGiveFfmpegsPictureAtAQuarterAndAnEighth() throws Exception {
        Path vtest = Footage.directory().resolve(DATA + "vtest.avi");
        // as bench/run live serves them: 768x576 4:2:0, about 100 KB
        List<Path> frames = frames(vtest, "vtest", 40, "-q:v", "2");
        assertTrue(frames.size() >= 19, "frames " + frames.size());
        compare(frames, 2, 160);
        compare(frames, 3, 80);
    }

    @Test
    void realFramesOfATreeInTheWindGiveFfmpegsPicture() throws Exception {
        Path tree = Footage.directory().resolve("tree.avi");
        List<Path> frames = frames(tree, "tree", 50, "-c:v", "mjpeg", "-q:v", "4");
        assertTrue(frames.size() >= 10, "frames " + frames.size());
        compare(frames, 2, 80);
        compare(frames, 3, 40);
    }

    /** Motion-JPEG as many cameras send it: no DHT segment, the standard tables implied. */
    @Test
    void aFrameWithoutHuffmanTablesIsReadWithTheStandardOnes() throws Exception {
        Path vtest = Footage.directory().resolve(DATA + "vtest.avi");
        List<Path> frames = frames(vtest, "plain", 200, "-huffman", "default", "-q:v", "3");
        List<Path> stripped = new ArrayList<>();
        for (Path frame : frames) {
            byte[] jpeg = withoutSegments(Files.readAllBytes(frame), 0xC4);
            assertTrue(jpeg.length < Files.size(frame), "a DHT segment was removed");
            stripped.add(Files.write(dir.resolve("no-dht-" + frame.getFileName()), jpeg));
        }
        compare(stripped, 2, 160);
    }

    /** Restart markers every few MCUs, colour and grey, as ImageIO writes them. */
    @Test
    void restartIntervalsInColourAndGrey() throws Exception {
        Path vtest = Footage.directory().resolve(DATA + "vtest.avi");
        BufferedImage colour = ImageIO.read(frames(vtest, "rst", 400, "-q:v", "2").get(1).toFile());
        BufferedImage grey = new BufferedImage(colour.getWidth(), colour.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
        grey.getGraphics().drawImage(colour, 0, 0, null);
        List<Path> files = new ArrayList<>();
        for (BufferedImage image : List.of(colour, grey)) {
            for (int interval : new int[] {1, 7}) {
                byte[] jpeg = withRestarts(image, interval);
                assertTrue(restartMarkers(jpeg) > 100, "restart markers written");
                files.add(Files.write(dir.resolve("rst-" + image.getType() + "-" + interval + ".jpg"), jpeg));
            }
        }
        compare(files, 2, 160);
        compare(files, 3, 80);
    }

    @Test
    void progressiveAndOversizedFramesAreRefusedAtOnce() throws Exception {
        Path vtest = Footage.directory().resolve(DATA + "vtest.avi");
        Path baseline = frames(vtest, "prog", 400, "-q:v", "2").get(0);
        byte[] progressiveJpeg = Jpegs.progressive(ImageIO.read(baseline.toFile()));
        SmallJpeg decoder = new SmallJpeg(160, 2);
        IOException progressive = assertThrows(SmallJpeg.Unsupported.class, () -> decoder.decode(progressiveJpeg));
        assertEquals("not a baseline JPEG (SOF2)", progressive.getMessage());
        byte[] huge = Files.readAllBytes(baseline);
        int sof = indexOf(huge, 0xC0);
        huge[sof + 5] = (byte) 0xFF; // height 65 thousand and something
        IOException oversized = assertThrows(IOException.class, () -> decoder.decode(huge));
        assertFalse(oversized instanceof SmallJpeg.Unsupported, "not for a full decode either");
    }

    /**
     * Damaged frames — cut short anywhere, bytes changed anywhere — give an IOException or a picture
     * of the right size, quickly, never another exception or an error.
     */
    @Test
    void damagedFramesGiveAnExceptionOrAPictureInBoundedTime() throws Exception {
        Path vtest = Footage.directory().resolve(DATA + "vtest.avi");
        byte[] frame = vtestFrame(frames(vtest, "fuzz", 200, "-q:v", "2"));
        byte[] restarts = withRestarts(ImageIO.read(new java.io.ByteArrayInputStream(frame)), 3);
        Random random = new Random(10);
        SmallJpeg decoder = new SmallJpeg(160, 2);
        int[] outcomes = new int[2];
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (byte[] original : List.of(frame, restarts)) {
                for (int i = 0; i < 300; i++) {
                    byte[] damaged;
                    if (i < 100) {
                        damaged = java.util.Arrays.copyOf(original, 2 + random.nextInt(original.length - 2));
                    } else {
                        damaged = original.clone();
                        for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                            damaged[2 + random.nextInt(damaged.length - 2)] ^= (byte) (1 << random.nextInt(8));
                        }
                    }
                    try {
                        BufferedImage picture = decoder.decode(damaged);
                        assertEquals(160, picture.getWidth());
                        outcomes[0]++;
                    } catch (IOException e) {
                        outcomes[1]++;
                    }
                }
            }
        });
        assertTrue(outcomes[0] > 0 && outcomes[1] > 0, "pictures " + outcomes[0] + ", refusals " + outcomes[1]);
        // and the decoder is not left in a bad state by them
        assertEquals(160, decoder.decode(frame).getWidth());
    }

    private static byte[] withRestarts(BufferedImage image, int interval) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        IIOMetadata metadata = writer.getDefaultImageMetadata(new ImageTypeSpecifier(image), param);
        String format = "javax_imageio_jpeg_image_1.0";
        IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(format);
        IIOMetadataNode markers = (IIOMetadataNode) root.getElementsByTagName("markerSequence").item(0);
        IIOMetadataNode dri = new IIOMetadataNode("dri");
        dri.setAttribute("interval", Integer.toString(interval));
        markers.insertBefore(dri, markers.getFirstChild());
        metadata.setFromTree(format, root);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.write(null, new IIOImage(image, null, metadata), param);
        }
        return out.toByteArray();
    }

    private static int restartMarkers(byte[] jpeg) {
        int n = 0;
        for (int i = 0; i + 1 < jpeg.length; i++) {
            if (jpeg[i] == (byte) 0xFF && (jpeg[i + 1] & 0xF8) == 0xD0) {
                n++;
            }
        }
        return n;
    }

    /** Where the first segment with the marker starts (its FF), walking the segments before the scan. */
    private static int indexOf(byte[] jpeg, int marker) {
        int at = 2;
        while ((jpeg[at + 1] & 0xFF) != marker) {
            if ((jpeg[at + 1] & 0xFF) == 0xDA) {
                return -1;
            }
            at += 2 + ((jpeg[at + 2] & 0xFF) << 8 | jpeg[at + 3] & 0xFF);
        }
        return at;
    }

    /** The JPEG without its segments with the given marker (before the scan). */
    private static byte[] withoutSegments(byte[] jpeg, int marker) {
        int at;
        while ((at = indexOf(jpeg, marker)) >= 0) {
            int length = 2 + ((jpeg[at + 2] & 0xFF) << 8 | jpeg[at + 3] & 0xFF);
            byte[] shorter = new byte[jpeg.length - length];
            System.arraycopy(jpeg, 0, shorter, 0, at);
            System.arraycopy(jpeg, at + length, shorter, at, jpeg.length - at - length);
            jpeg = shorter;
        }
        return jpeg;
    }
}
