package dev.lookout.agent.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lookout.agent.capture.Frame;
import dev.lookout.agent.capture.FrameStream;
import dev.lookout.agent.capture.Sources;
import java.awt.Dimension;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Detection on real footage (OpenCV's sample videos, see src/test/footage/make): people walking,
 * the picture freezing with them in new places, a parcel left, slow movers, light ramps, flicker,
 * lamp and IR-cut steps, dusk with heavy noise; and a tree in the wind. Labels say what each frame shows.
 */
class RealFootageTest {
    private static final double FPS = 5;
    private static final long FRAME_MILLIS = 200;
    private static final int PLANE_WIDTH = 192;
    private static final int PLANE_HEIGHT = 144;
    private static final Dimension CAMERA = new Dimension(768, 576);
    private static final Dimension TREE = new Dimension(320, 240);

    private static Path footage;
    private static List<Score.Truth> truth;
    private static List<Boolean> motion = new ArrayList<>();
    private static List<Integer> events = new ArrayList<>();
    private static List<Still> stills = new ArrayList<>();

    @BeforeAll
    static void detectOnTheSequence() throws Exception {
        footage = Footage.directory();
        truth = Score.labels(footage.resolve("sequence.csv"));
        MotionPipeline pipeline = new MotionPipeline("door", new LumaMotionAlgorithm(DetectionSettings.DEFAULTS, Mask.NONE),
                new EventTracker(2, 3000), StillPolicy.DEFAULT, stills::add);
        try (FrameStream frames = Sources.open("file:" + footage.resolve("sequence.avi"), CAMERA, FPS,
                DetectionSettings.DEFAULTS.planeWidth())) {
            Frame frame;
            while ((frame = frames.next()) != null) {
                MotionPipeline.Result result = pipeline.accept(frame, 1);
                motion.add(result.motion());
                events.add(result.eventId());
            }
        }
        pipeline.finish();
    }

    @Test
    void theSequenceMeetsTheTargets() {
        Score score = new Score(truth, motion, FRAME_MILLIS);
        Score.Tally all = score.total();
        String table = score.table();
        assertTrue(all.recall() >= 0.95, table);
        assertTrue(all.falseStillShare() <= 0.01, table);
        assertTrue(all.falseLight() <= 4, table);
    }

    @Test
    void everyKindOfSegmentBehaves() {
        Score score = new Score(truth, motion, FRAME_MILLIS);
        for (Map.Entry<String, Score.Tally> segment : score.segments().entrySet()) {
            Score.Tally t = segment.getValue();
            String what = segment.getKey() + "\n" + score.table();
            if (t.motion() > 10) {
                assertTrue(t.recall() >= 0.9, what);
            }
            assertTrue(t.falseStill() <= 1, what);
            assertTrue(t.falseLight() <= 2, what);
        }
    }

    /** A freeze, a parcel left: the event ends at most absorb-after + event-gap (13 s) after the last moving frame. */
    @Test
    void eventsEndOnceNothingMoves() {
        long lastMover = -1;
        for (int i = 0; i < truth.size(); i++) {
            if (truth.get(i).label() == Score.Label.MOTION) {
                lastMover = i;
            } else if ((i - lastMover) * FRAME_MILLIS > 13_000) {
                assertEquals(0, events.get(i), "frame " + i + " (" + truth.get(i).segment() + ") still in an event");
            }
        }
    }

    /** The still budget goes to frames in which something moves, not to a picture of where things stopped. */
    @Test
    void stillsShowSomethingMoving() {
        assertTrue(stills.size() >= 10, stills.size() + " stills");
        for (Still still : stills) {
            int index = (int) still.frame().index();
            long sinceMover = 0;
            while (index - sinceMover >= 0 && truth.get((int) (index - sinceMover)).label() != Score.Label.MOTION) {
                sinceMover++;
            }
            assertTrue(sinceMover * FRAME_MILLIS <= 2000, "still of frame " + index + ", " + sinceMover + " frames after motion");
        }
    }

    /** The same footage as small grey frames (as ffmpeg can decode them for detection): the same decisions. */
    @Test
    void smallGreyFramesGiveTheSameDecisions() throws Exception {
        List<Boolean> grey = greyDecisions(footage.resolve("sequence.avi"), DetectionSettings.DEFAULTS);
        int differ = 0;
        for (int i = 0; i < grey.size(); i++) {
            differ += grey.get(i).equals(motion.get(i)) ? 0 : 1;
        }
        assertEquals(motion.size(), grey.size());
        assertTrue(differ <= motion.size() / 100, differ + " of " + motion.size() + " frames differ");
    }

    /** Only the tree moves: a few frames at most, and none after the first minute with the smart mask. */
    @Test
    void aTreeInTheWindIsNoMotion() throws Exception {
        Path tree = footage.resolve("tree.avi");
        List<List<Boolean>> both = decisions(tree, TREE, 0, DetectionSettings.DEFAULTS,
                DetectionSettings.DEFAULTS.withSmartMask(true));
        List<Boolean> plain = both.get(0);
        List<Boolean> smart = both.get(1);
        int minute = (int) (60 * FPS);
        assertTrue(flagged(plain) <= plain.size() / 100, flagged(plain) + " of " + plain.size());
        List<Boolean> later = smart.subList(minute, smart.size());
        assertTrue(flagged(later) <= later.size() / 50, flagged(later) + " of " + later.size());
    }

    /**
     * Cloud shadows drifting over a still scene, the scene after they have gone, headlights sweeping a
     * dark scene: light, not motion; people walking into a shadow and in the headlights are found.
     * (Targets: at most 10 % false frames and no false event for every kind, recall 0.95; asserted
     * here at what detection reaches today, so that a regression fails: see docs/BENCHMARKS.md.)
     */
    @Test
    void localLightIsNoMotionButMoversInItAre() throws Exception {
        List<Score.Truth> labels = Score.labels(footage.resolve("local.csv"));
        Score score = new Score(labels, decisions(footage.resolve("local.avi"), CAMERA, 0, DetectionSettings.DEFAULTS).get(0),
                FRAME_MILLIS);
        Score.Tally all = score.total();
        assertTrue(all.falseLight() <= all.light() / 10, score.table());
        assertTrue(all.falseEvents() <= 4, score.table());
        assertTrue(all.recall() >= 0.95, score.table());
        for (Map.Entry<String, Score.Tally> segment : score.segments().entrySet()) {
            Score.Tally t = segment.getValue();
            String what = segment.getKey() + "\n" + score.table();
            assertTrue(t.falseLight() <= t.light() / 2, what);
            assertTrue(t.falseStill() <= 1, what);
            assertTrue(t.recall() >= 0.9, what);
        }
        for (String shadow : List.of("shadow", "after-shadow")) {
            assertEquals(0, score.segments().get(shadow).falseLight(), shadow + "\n" + score.table());
        }
        assertTrue(score.segments().get("movers-shadow").recall() >= 0.95, score.table());
    }

    /**
     * Foliage from the moment detection starts, wherever in the clip it starts: no false event in the
     * first 25 s on the tree; foliage close to the camera in a slow wind, at most two (target: none).
     */
    @Test
    void foliageAtStartStartsNoEvent() throws Exception {
        int first = (int) (25 * FPS);
        for (String clip : List.of("tree.avi", "foliage.avi")) {
            for (int start = 0; start <= 24; start += 6) {
                List<Boolean> motion = decisions(footage.resolve(clip), TREE, (int) (start * FPS),
                        DetectionSettings.DEFAULTS).get(0).subList(0, first);
                Score score = new Score(motion.stream().map(m -> new Score.Truth(Score.Label.LIGHT, clip)).toList(), motion,
                        FRAME_MILLIS);
                assertTrue(score.total().falseEvents() <= (clip.equals("tree.avi") ? 0 : 2),
                        clip + " started " + start + " s in: " + score.table());
            }
        }
    }

    private static long flagged(List<Boolean> motion) {
        return motion.stream().filter(m -> m).count();
    }

    /** Decisions on each frame of the clip from frame {@code skip} on, one list for each of the settings. */
    private static List<List<Boolean>> decisions(Path clip, Dimension size, int skip, DetectionSettings... settings)
            throws IOException {
        List<LumaMotionAlgorithm> algorithms = new ArrayList<>();
        List<List<Boolean>> decisions = new ArrayList<>();
        for (DetectionSettings s : settings) {
            algorithms.add(new LumaMotionAlgorithm(s, Mask.NONE));
            decisions.add(new ArrayList<>());
        }
        BufferedImage[] previous = new BufferedImage[settings.length];
        try (FrameStream frames = Sources.open("file:" + clip, size, FPS, DetectionSettings.DEFAULTS.planeWidth())) {
            Frame frame;
            for (int i = 0; i < skip && frames.next() != null; i++) {
                // frames before detection starts
            }
            while ((frame = frames.next()) != null) {
                for (int i = 0; i < settings.length; i++) {
                    BufferedImage plane = algorithms.get(i).filter(frame.detectionImage());
                    algorithms.get(i).clock(frame.captureMillis());
                    decisions.get(i).add(algorithms.get(i).detect(previous[i], plane));
                    previous[i] = plane;
                }
            }
        }
        return decisions;
    }

    /** Decisions on the clip decoded by ffmpeg straight to grey frames of the detection plane's size. */
    private static List<Boolean> greyDecisions(Path clip, DetectionSettings settings) throws IOException, InterruptedException {
        Process ffmpeg = new ProcessBuilder("ffmpeg", "-hide_banner", "-loglevel", "error", "-i", clip.toString(),
                "-vf", "scale=" + PLANE_WIDTH + ":" + PLANE_HEIGHT + ":flags=area,format=gray", "-f", "rawvideo", "-")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        LumaMotionAlgorithm algorithm = new LumaMotionAlgorithm(settings, Mask.NONE);
        List<Boolean> decisions = new ArrayList<>();
        BufferedImage previous = null;
        try (InputStream in = ffmpeg.getInputStream()) {
            while (true) {
                BufferedImage grey = new BufferedImage(PLANE_WIDTH, PLANE_HEIGHT, BufferedImage.TYPE_BYTE_GRAY);
                byte[] pixels = ((DataBufferByte) grey.getRaster().getDataBuffer()).getData();
                if (in.readNBytes(pixels, 0, pixels.length) < pixels.length) {
                    break;
                }
                BufferedImage plane = algorithm.filter(grey);
                algorithm.clock(decisions.size() * FRAME_MILLIS);
                decisions.add(algorithm.detect(previous, plane));
                previous = plane;
            }
        }
        assertEquals(0, ffmpeg.waitFor());
        return decisions;
    }
}
