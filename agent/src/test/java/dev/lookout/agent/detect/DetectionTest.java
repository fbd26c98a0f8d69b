package dev.lookout.agent.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lookout.agent.capture.Frame;
import dev.lookout.agent.capture.SyntheticScene;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Detection on labelled synthetic sequences whose truth is known frame by frame. */
class DetectionTest {
    private static final int W = 640;
    private static final int H = 480;

    private record Run(List<Boolean> motion, List<Integer> events, int eventCount) {
        int firstMotion() {
            return motion.indexOf(true);
        }

        int firstEventFrame() {
            for (int i = 0; i < events.size(); i++) {
                if (events.get(i) != 0) {
                    return i;
                }
            }
            return -1;
        }

        long motionFrames() {
            return motion.stream().filter(m -> m).count();
        }
    }

    private static Run run(SyntheticScene scene, LumaMotionAlgorithm algorithm) {
        return run(scene, algorithm, image -> image);
    }

    /** @param picture what detection is given of each frame */
    private static Run run(SyntheticScene scene, LumaMotionAlgorithm algorithm, UnaryOperator<BufferedImage> picture) {
        EventTracker tracker = new EventTracker(2, 3000);
        List<Boolean> motion = new ArrayList<>();
        List<Integer> events = new ArrayList<>();
        BufferedImage previous = null;
        Frame frame;
        while ((frame = scene.next()) != null) {
            BufferedImage plane = algorithm.filter(picture.apply(frame.image()));
            algorithm.clock(frame.captureMillis());
            boolean moved = algorithm.detect(previous, plane);
            previous = plane;
            motion.add(moved);
            events.add(tracker.update(moved, frame.captureMillis()));
        }
        return new Run(motion, events, tracker.events());
    }

    /** A frame as the small grey picture (160 pixels wide) the sources make for detection. */
    private static BufferedImage small(BufferedImage image) {
        BufferedImage grey = new BufferedImage(160, 160 * H / W, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = grey.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(image, 0, 0, grey.getWidth(), grey.getHeight(), null);
        g.dispose();
        return grey;
    }

    private static LumaMotionAlgorithm algorithm() {
        return new LumaMotionAlgorithm(DetectionSettings.DEFAULTS, Mask.NONE);
    }

    @Test
    void aStillSceneWithSensorNoiseNeverMoves() {
        Run run = run(SyntheticScene.builder(W, H).frames(300).noise(5).build(), algorithm());
        assertEquals(0, run.motionFrames());
        assertEquals(0, run.eventCount());
    }

    @Test
    void aPersonWalkingInStartsAnEventWithinThreeFramesOfOnset() {
        SyntheticScene scene = SyntheticScene.builder(W, H).frames(150).object(40, 10, 80, 160).build();
        Run run = run(scene, algorithm());
        int onset = firstInView(SyntheticScene.builder(W, H).frames(150).object(40, 10, 80, 160).build(), 150);
        assertTrue(run.firstEventFrame() >= onset && run.firstEventFrame() <= onset + 3,
                "onset " + onset + ", event from " + run.firstEventFrame());
        assertEquals(1, run.eventCount());
    }

    @Test
    void brightnessStepsAndRampsAreNotMotion() {
        SyntheticScene scene = SyntheticScene.builder(W, H).frames(200)
                .light(30, 30, 45).light(60, 60, -70).light(90, 120, 50).light(150, 152, -40).build();
        Run run = run(scene, algorithm());
        assertEquals(0, run.eventCount(), "motion in frames " + frames(run));
    }

    @Test
    void aSlowMoverIsDetectedAgainstTheBackground() {
        Run run = run(SyntheticScene.builder(W, H).frames(260).object(20, 1, 50, 70).build(), algorithm());
        assertEquals(1, run.eventCount(), "motion in frames " + frames(run));
        assertTrue(run.firstEventFrame() < 120, "event from " + run.firstEventFrame());
    }

    /** A slow mover stays motion while it moves: it is not absorbed into the background on the way. */
    @Test
    void aSlowMoverIsMotionAllTheWay() {
        SyntheticScene truth = SyntheticScene.builder(W, H).frames(260).object(20, 1, 50, 70).build();
        Run run = run(SyntheticScene.builder(W, H).frames(260).object(20, 1, 50, 70).build(), algorithm());
        int inView = 0;
        int caught = 0;
        // from the first detection (it takes a while to cover --area-threshold, entering slowly)
        for (int i = run.firstMotion(); i < run.motion().size(); i++) {
            if (truth.objectInView(i)) {
                inView++;
                caught += run.motion().get(i) ? 1 : 0;
            }
        }
        assertTrue(caught >= inView * 0.95, caught + " of " + inView + " frames in view; motion in " + frames(run));
    }

    /** Something left behind is motion when it appears, and background --absorb-after later; 0 keeps it motion. */
    @Test
    void aParcelLeftJoinsTheBackgroundAfterAbsorbAfter() {
        DetectionSettings d = DetectionSettings.DEFAULTS;
        Run absorbing = run(parcel(), algorithm());
        Run never = run(parcel(), new LumaMotionAlgorithm(new DetectionSettings(d.planeWidth(), d.pixelThreshold(),
                d.noiseFactor(), d.areaPercent(), d.maxAreaPercent(), d.backgroundRate(), 0, false), Mask.NONE));
        assertTrue(absorbing.motion().get(21), "the parcel appearing is motion");
        assertEquals(List.of(), frames(absorbing).stream().filter(i -> i >= 20 + 50).toList(), "10 s after it was left");
        assertTrue(never.motion().subList(21, 150).stream().allMatch(m -> m), "with --absorb-after 0: " + frames(never));
    }

    private static SyntheticScene parcel() {
        return SyntheticScene.builder(W, H).frames(150).noise(5).block(20, 300, 300, 80, 60).build();
    }

    /** Light falling by 60 levels over 10 s while a person crosses: the person is caught, the light is not motion. */
    @Test
    void aPersonCrossingDuringALightChangeIsCaught() {
        SyntheticScene truth = SyntheticScene.builder(W, H).frames(200).light(30, 80, -60).object(50, 10, 80, 160).build();
        Run run = run(SyntheticScene.builder(W, H).frames(200).light(30, 80, -60).object(50, 10, 80, 160).build(), algorithm());
        assertEquals(1, run.eventCount(), "motion in frames " + frames(run));
        for (int i = 0; i < run.motion().size(); i++) {
            if (run.motion().get(i)) {
                // the frame after the person left still shows the change
                assertTrue(truth.objectInView(i) || truth.objectInView(i - 1), "motion without the person in frame " + i);
            }
        }
    }

    @Test
    void doNotEngageZonesAreIgnored() {
        LumaMotionAlgorithm masked = algorithm();
        masked.setDoNotEngageZones(List.of(new Rectangle(0, 140, W, 200)));
        Run run = run(SyntheticScene.builder(W, H).frames(150).object(40, 10, 80, 160).build(), masked);
        assertEquals(0, run.motionFrames());
    }

    /** Zones in the camera's frame pixels hold when detection is given the small grey pictures of the frames. */
    @Test
    void doNotEngageZonesInFramePixelsHoldOnSmallPictures() {
        LumaMotionAlgorithm masked = algorithm();
        masked.setDoNotEngageZones(List.of(new Rectangle(0, 140, W, 200)), W);
        SyntheticScene scene = SyntheticScene.builder(W, H).frames(150).object(40, 10, 80, 160).build();
        assertEquals(0, run(scene, masked, DetectionTest::small).motionFrames());
        LumaMotionAlgorithm unmasked = algorithm();
        unmasked.setDoNotEngageZones(List.of(new Rectangle(0, 140, W, 200)), W / 4);
        SyntheticScene same = SyntheticScene.builder(W, H).frames(150).object(40, 10, 80, 160).build();
        assertTrue(run(same, unmasked, DetectionTest::small).motionFrames() > 0, "a zone read in the small picture's pixels misses the mover");
    }

    @Test
    void aPgmMaskIsIgnoredWhereBlack(@TempDir Path dir) throws IOException {
        Path pgm = dir.resolve("mask.pgm");
        StringBuilder text = new StringBuilder("P2\n# black band across the middle\n4 4\n255\n");
        text.append("255 255 255 255\n0 0 0 0\n0 0 0 0\n255 255 255 255\n");
        Files.writeString(pgm, text, StandardCharsets.US_ASCII);
        Run run = run(SyntheticScene.builder(W, H).frames(150).object(40, 10, 80, 160).build(),
                new LumaMotionAlgorithm(DetectionSettings.DEFAULTS, Mask.pgm(pgm)));
        assertEquals(0, run.motionFrames());
    }

    @Test
    void theDemoSceneHasTwoEventsAndNoneForItsLights() {
        SyntheticScene truth = SyntheticScene.demo(W, H, 5, 7);
        Run run = run(SyntheticScene.demo(W, H, 5, 7), algorithm());
        assertEquals(2, run.eventCount(), "motion in frames " + frames(run));
        for (int i = 0; i < run.motion().size(); i++) {
            if (run.motion().get(i)) {
                assertTrue(truth.objectInView(i), "motion without an object in frame " + i);
            }
        }
    }

    /**
     * A hand moving an object in the same place in front of a desk webcam (15 fps), and the camera's
     * exposure jumping by 40 levels while it moves: the step is re-baselined at once and the hand is
     * motion again in the next frames (the step's differences once made the noise estimate jump so
     * that the hand read as 0.05 % for seconds).
     */
    @Test
    void aHandMovingInPlaceStaysMotionThroughAnExposureStep() {
        double fps = 15;
        int step = (int) (8 * fps);
        SyntheticScene desk = SyntheticScene.builder(W, H).fps(fps).frames((int) (12 * fps)).noise(3).build();
        int hw = 200;
        int hh = 150;
        int[] hand = new int[hw * hh];
        Random random = new Random(7);
        for (int i = 0; i < hand.length; i++) {
            hand[i] = 150 + (int) (40 * Math.sin(i % hw / 7.0) * Math.cos(i / hw / 9.0)) + random.nextInt(20);
        }
        LumaMotionAlgorithm algorithm = algorithm();
        List<Boolean> motion = new ArrayList<>();
        BufferedImage previous = null;
        Frame frame;
        while ((frame = desk.next()) != null) {
            int[] pixels = ((DataBufferInt) frame.image().getRaster().getDataBuffer()).getData();
            double t = frame.index() / fps;
            int x0 = W / 2 - hw / 2 + (int) (40 * Math.sin(Math.PI * t));
            int y0 = H / 2 - hh / 2 + (int) (20 * Math.cos(Math.PI * t));
            for (int y = 0; y < hh && t >= 2; y++) {
                for (int x = 0; x < hw; x++) {
                    int v = Math.min(255, hand[y * hw + x]);
                    pixels[(y0 + y) * W + x0 + x] = v << 16 | v * 9 / 10 << 8 | v * 8 / 10;
                }
            }
            for (int i = 0; i < pixels.length && frame.index() >= step; i++) {
                int p = pixels[i];
                pixels[i] = Math.min(255, (p >> 16 & 0xff) + 40) << 16 | Math.min(255, (p >> 8 & 0xff) + 40) << 8
                        | Math.min(255, (p & 0xff) + 40);
            }
            BufferedImage plane = algorithm.filter(frame.image());
            algorithm.clock(frame.captureMillis());
            motion.add(algorithm.detect(previous, plane));
            previous = plane;
        }
        List<Boolean> after = motion.subList(step + 2, motion.size());
        long caught = after.stream().filter(m -> m).count();
        assertTrue(caught >= after.size() * 0.9, caught + " of " + after.size() + " frames after the step: " + motion);
    }

    private static int firstInView(SyntheticScene scene, int frames) {
        for (int i = 0; i < frames; i++) {
            if (scene.objectInView(i)) {
                return i;
            }
        }
        return -1;
    }

    private static List<Integer> frames(Run run) {
        List<Integer> frames = new ArrayList<>();
        for (int i = 0; i < run.motion().size(); i++) {
            if (run.motion().get(i)) {
                frames.add(i);
            }
        }
        return frames;
    }
}
