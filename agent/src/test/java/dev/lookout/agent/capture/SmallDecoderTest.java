package dev.lookout.agent.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.Test;

class SmallDecoderTest {
    private static final BufferedImage SCENE = SyntheticScene.builder(640, 480).seed(7).frames(1)
            .block(0, 320, 0, 320, 240).build().next().image();

    private static byte[] jpeg(boolean progressive) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        if (progressive) {
            param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.write(null, new IIOImage(SCENE, null, null), param);
        }
        return out.toByteArray();
    }

    @Test
    void aProgressiveFrameIsDecodedInFullToTheSamePicture() throws IOException {
        SmallDecoder decoder = new SmallDecoder(160);
        BufferedImage small = decoder.of(jpeg(false));
        BufferedImage full = decoder.of(jpeg(true));
        assertEquals(160, full.getWidth());
        assertEquals(small.getHeight(), full.getHeight());
        assertEquals(BufferedImage.TYPE_BYTE_GRAY, full.getType());
        double sum = 0;
        for (int y = 0; y < small.getHeight(); y++) {
            for (int x = 0; x < small.getWidth(); x++) {
                sum += Math.abs(small.getRaster().getSample(x, y, 0) - full.getRaster().getSample(x, y, 0));
            }
        }
        assertEquals(0, sum / (160 * small.getHeight()), 3, "mean difference from the small decode");
    }

    /**
     * A stream with a damaged frame (cut short inside its scan, then ended) between two good ones: the
     * damaged one is skipped, the others kept.
     */
    @Test
    void aDamagedFrameIsSkippedAndTheStreamGoesOn() throws IOException {
        byte[] good = jpeg(false);
        byte[] damaged = Arrays.copyOf(good, good.length / 2 + 2);
        damaged[damaged.length - 2] = (byte) 0xFF;
        damaged[damaged.length - 1] = (byte) 0xD9;
        assertNull(new SmallDecoder(160).of(damaged));
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (byte[] frame : new byte[][] {good, damaged, good}) {
            stream.write("--frame\r\nContent-Type: image/jpeg\r\n\r\n".getBytes());
            stream.write(frame);
        }
        try (SmallFrames frames = new SmallFrames(new MjpegStream(new ByteArrayInputStream(stream.toByteArray()), 5),
                new SmallDecoder(160))) {
            Frame first = frames.next();
            Frame second = frames.next();
            assertEquals(0, first.index());
            assertEquals(2, second.index(), "frame 1 skipped");
            assertArrayEquals(good, second.jpeg());
            assertEquals(160, second.detectionImage().getWidth());
            assertNull(frames.next());
        }
    }
}
