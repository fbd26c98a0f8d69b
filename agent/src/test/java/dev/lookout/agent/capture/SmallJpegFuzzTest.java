package dev.lookout.agent.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.awt.image.BufferedImage;
import java.io.IOException;

/**
 * Coverage-guided fuzzing (Jazzer) of the small decoder that detection runs on a camera's bytes
 * ({@link SmallDecoder#of} hands it every frame wide enough): at 1/4 and 1/8 scale it must give a
 * picture of the width asked for or refuse the frame with an IOException, never another exception
 * or an error, nor spin. (The full decode it falls back to is the JDK's, bounded before it is called.) Under plain JUnit this runs
 * the seed corpus (real frames, in {@code SmallJpegFuzzTestInputs/decode}); with {@code JAZZER_FUZZ=1}
 * it fuzzes for {@code maxDuration}; {@code bench/run fuzz} fuzzes for longer.
 */
class SmallJpegFuzzTest {
    private final SmallJpeg quarter = new SmallJpeg(40, 2);
    private final SmallJpeg eighth = new SmallJpeg(20, 3);

    @FuzzTest(maxDuration = "30s")
    void decode(byte[] jpeg) {
        check(jpeg, quarter, 40);
        check(jpeg, eighth, 20);
    }

    private static void check(byte[] jpeg, SmallJpeg decoder, int width) {
        try {
            BufferedImage picture = decoder.decode(jpeg);
            assertEquals(width, picture.getWidth());
            assertEquals(BufferedImage.TYPE_BYTE_GRAY, picture.getType());
            assertTrue(picture.getHeight() >= 2 && picture.getHeight() % 2 == 0, "height " + picture.getHeight());
        } catch (IOException e) {
            // refused: a damaged frame, skipped by detection
        }
    }
}
