package dev.lookout.agent.encode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lookout.agent.capture.Frame;
import dev.lookout.agent.capture.SyntheticScene;
import dev.lookout.agent.detect.Still;
import dev.lookout.agent.support.Rig;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.ZoneOffset;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class StillEncoderTest {
    private static Frame frame(boolean withJpeg) throws Exception {
        Frame generated = SyntheticScene.builder(320, 240).frames(1).noise(0).build().next();
        byte[] jpeg = null;
        if (withJpeg) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(generated.image(), "jpeg", out);
            jpeg = out.toByteArray();
        }
        return new Frame(0, 1_777_890_030_456L, generated.image(), jpeg);
    }

    @Test
    void theCamerasOwnJpegGoesOutUntouchedButForTheExifBlock() throws Exception {
        Frame frame = frame(true);
        byte[] out = new StillEncoder(false, ZoneOffset.UTC).encode(new Still("door", frame, 1, 2.5, false), true);
        assertTrue(out.length > frame.jpeg().length);
        assertArrayEquals(frame.jpeg(), Rig.withoutExif(out));
    }

    @Test
    void aFrameWithoutJpegIsEncoded() throws Exception {
        byte[] out = new StillEncoder(false, ZoneOffset.UTC).encode(new Still("door", frame(false), 1, 2.5, false), true);
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(out));
        assertEquals(320, decoded.getWidth());
        assertEquals(240, decoded.getHeight());
    }

    @Test
    void theOverlayWritesIntoTheTopLeftCornerOnly() throws Exception {
        Frame frame = frame(true);
        BufferedImage plain = ImageIO.read(new ByteArrayInputStream(
                new StillEncoder(false, ZoneOffset.UTC).encode(new Still("door", frame(false), 1, 2.5, false), true)));
        BufferedImage stamped = ImageIO.read(new ByteArrayInputStream(
                new StillEncoder(true, ZoneOffset.UTC).encode(new Still("door", frame, 1, 2.5, false), true)));
        assertTrue(difference(plain, stamped, 0, 0, 200, 24) > 20, "no text in the corner");
        assertTrue(difference(plain, stamped, 0, 60, 320, 240) < 3, "changed outside the corner");
    }

    private static double difference(BufferedImage a, BufferedImage b, int x0, int y0, int x1, int y1) {
        long sum = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                sum += Math.abs((a.getRGB(x, y) & 0xff) - (b.getRGB(x, y) & 0xff));
            }
        }
        return sum / (double) ((x1 - x0) * (y1 - y0));
    }
}
