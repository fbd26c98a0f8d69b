package dev.lookout.agent.encode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lookout.agent.capture.SyntheticScene;
import dev.lookout.agent.support.Rig;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Exif block, as exiftool (an independent reader) sees it. */
class ExifStampTest {
    /** 2026-11-22 04:05:06.078 in Berlin (UTC+1). */
    private static final long TAKEN = 1_795_316_706_078L;
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @TempDir
    Path dir;

    private static byte[] jpeg() throws Exception {
        BufferedImage image = SyntheticScene.builder(160, 120).frames(1).build().next().image();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpeg", out);
        return out.toByteArray();
    }

    private String exiftool(byte[] jpeg) throws Exception {
        Path file = Files.write(dir.resolve("still.jpg"), jpeg);
        Process p = new ProcessBuilder("exiftool", "-s", "-G0", "-EXIF:all", "-warning", file.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void photoViewersReadTheCameraAndTheCaptureTime() throws Exception {
        byte[] original = jpeg();
        byte[] stamped = ExifStamp.stamp(original, "front-door", TAKEN, BERLIN, true);
        String tags = exiftool(stamped);
        assertTrue(tags.contains("DateTimeOriginal                : 2026:11:22 04:05:06"), tags);
        assertTrue(tags.contains("SubSecTimeOriginal              : 078"), tags);
        assertTrue(tags.contains("OffsetTimeOriginal              : +01:00"), tags);
        assertTrue(tags.contains("ModifyDate                      : 2026:11:22 04:05:06"), tags);
        assertTrue(tags.contains("Model                           : front-door"), tags);
        assertTrue(tags.contains("Make                            : Lookout"), tags);
        assertTrue(tags.contains("ImageDescription                : front-door"), tags);
        assertTrue(!tags.contains("Warning"), tags);
        assertArrayEquals(original, Rig.withoutExif(stamped), "the image itself is untouched");
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(stamped));
        assertEquals(160, decoded.getWidth());
    }

    @Test
    void anUntrustedClockGivesNoCaptureTime() throws Exception {
        String tags = exiftool(ExifStamp.stamp(jpeg(), "door", TAKEN, BERLIN, false));
        assertTrue(tags.contains("Model                           : door"), tags);
        assertTrue(!tags.contains("DateTimeOriginal") && !tags.contains("ModifyDate"), tags);
    }

    @Test
    void theCamerasOwnExifBlockIsReplaced() throws Exception {
        byte[] once = ExifStamp.stamp(jpeg(), "old-name", TAKEN, BERLIN, true);
        byte[] twice = ExifStamp.stamp(once, "door", TAKEN + 1000, ZoneId.of("UTC"), true);
        String tags = exiftool(twice);
        assertTrue(tags.contains("Model                           : door") && !tags.contains("old-name"), tags);
        assertTrue(tags.contains("OffsetTimeOriginal              : +00:00"), tags);
        assertEquals(1, count(twice, "Exif\0\0"), "one Exif block");
    }

    @Test
    void refusesWhatIsNoJpeg() {
        assertThrows(IllegalArgumentException.class, () -> ExifStamp.stamp("GIF89a".getBytes(StandardCharsets.US_ASCII),
                "door", TAKEN, BERLIN, true));
    }

    private static int count(byte[] haystack, String needle) {
        return (new String(haystack, StandardCharsets.ISO_8859_1).split(needle, -1).length) - 1;
    }
}
