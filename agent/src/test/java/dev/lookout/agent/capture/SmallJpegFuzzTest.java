package dev.lookout.agent.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.awt.image.BufferedImage;

/**
 * Coverage-guided fuzzing (Jazzer) of what detection does with a camera's bytes: {@link SmallDecoder#of}
 * (the small decoder at 1/4 and 1/8 scale, and the full decode it falls back to) must give a picture
 * of the width asked for or none, never another exception or an error. Under plain JUnit this runs
 * the seed corpus (real frames, in {@code SmallJpegFuzzTestInputs/decode}); with {@code JAZZER_FUZZ=1}
 * it fuzzes for {@code maxDuration}; {@code bench/run fuzz} fuzzes for longer.
 */
class SmallJpegFuzzTest {
    /** Frames of 160 pixels and wider are decoded small at 1/4 scale, of 320 and wider at 1/8. */
    private final SmallDecoder quarter = new SmallDecoder(40);
    private final SmallDecoder eighth = new SmallDecoder(20);

    @FuzzTest(maxDuration = "30s")
    void decode(byte[] jpeg) {
        check(jpeg, quarter, 40);
        check(jpeg, eighth, 20);
    }

    private static void check(byte[] jpeg, SmallDecoder decoder, int width) {
        BufferedImage picture = decoder.of(jpeg);
        if (picture != null) {
            assertEquals(width, picture.getWidth());
            assertEquals(BufferedImage.TYPE_BYTE_GRAY, picture.getType());
            assertTrue(picture.getHeight() >= 2 && picture.getHeight() % 2 == 0, "height " + picture.getHeight());
        }
    }
}
