package dev.lookout.agent.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.awt.Dimension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A camera's MJPEG through the ffmpeg command line a {@code v4l2:} camera that offers MJPEG is read
 * with ({@code -c:v copy}), its input a file instead of a device: a UVC camera's buffers carry
 * padding after each JPEG's end, which ffmpeg copies with the JPEG, and a damaged stream may carry
 * anything between frames. Every JPEG must come out whole, with its small picture, whatever follows it.
 */
class PaddedMjpegTest {
    private static final Dimension SIZE = new Dimension(640, 480);
    private static final int FRAMES = 12;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} bytes of padding after each JPEG")
    @ValueSource(ints = {0, 100 * 1024, 1024 * 1024})
    void everyJpegComesOutWholeWhateverFollowsIt(int padding) throws Exception {
        List<byte[]> jpegs = jpegs();
        Path camera = dir.resolve("camera.mjpeg");
        Random random = new Random(padding);
        try (OutputStream out = Files.newOutputStream(camera)) {
            for (byte[] jpeg : jpegs) {
                out.write(jpeg);
                out.write(new byte[padding]);
                // garbage between frames, with a false start of image in it
                byte[] garbage = new byte[777];
                random.nextBytes(garbage);
                garbage[100] = (byte) 0xFF;
                garbage[101] = (byte) 0xD8;
                out.write(garbage);
            }
        }
        List<String> ffmpeg = Ffmpeg.camera(List.of("-f", "mjpeg", "-i", camera.toString()), true, 5);
        List<byte[]> frames = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> LiveSourcesTest.drain(new SmallFrames(ProcessFrames.start(ffmpeg, 5), new SmallDecoder(160))));
        assertEquals(jpegs.size(), frames.size());
        for (int i = 0; i < jpegs.size(); i++) {
            assertArrayEquals(jpegs.get(i), frames.get(i), "frame " + i);
        }
    }

    private List<byte[]> jpegs() throws IOException {
        SyntheticScene scene = SyntheticScene.builder(SIZE.width, SIZE.height).frames(FRAMES).object(1, 30, 40, 60).build();
        List<byte[]> jpegs = new ArrayList<>();
        Frame frame;
        while ((frame = scene.next()) != null) {
            ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
            ImageIO.write(frame.image(), "jpeg", jpeg);
            jpegs.add(jpeg.toByteArray());
        }
        return jpegs;
    }
}
