package dev.lookout.bench;

import com.github.sarxos.webcam.WebcamMotionDetectorAlgorithm;
import com.github.sarxos.webcam.WebcamMotionDetectorDefaultAlgorithm;
import dev.lookout.agent.capture.Frame;
import dev.lookout.agent.capture.FrameStream;
import dev.lookout.agent.capture.Sources;
import dev.lookout.agent.detect.DetectionSettings;
import dev.lookout.agent.detect.LumaMotionAlgorithm;
import dev.lookout.agent.detect.Mask;
import dev.lookout.agent.detect.Score;
import java.awt.Dimension;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Detection quality on the labelled real-footage sequences (movers and global light; local light:
 * shadows and headlights) and on the tree in the wind (built by agent/src/test/footage/make into the
 * folder given), Lookout's algorithm against webcam-capture 0.3.12's default on the same frames.
 * {@code bench/run quality}.
 */
public final class QualityBench {
    private static final double FPS = 5;
    /** Where a detector starts in the foliage clips, seconds, for the first 25 s after start. */
    private static final int[] TREE_STARTS = {0, 6, 12, 18, 24};
    private static final int START_SECONDS = 25;

    private QualityBench() {
    }

    public static void main(String[] args) throws IOException {
        Path footage = Path.of(args[0]);
        sequence(footage, "sequence", "Real-footage sequence");
        sequence(footage, "local", "Local light: shadows and headlights");
        Path tree = footage.resolve("tree.avi");
        int minute = (int) (60 * FPS);
        System.out.println("### Tree in the wind (nothing else moves): frames flagged");
        System.out.println();
        System.out.println("| detector | all frames | after the first minute |");
        System.out.println("|---|---:|---:|");
        tree("Lookout, default settings", motion(tree, lookout(false), 0), minute);
        tree("Lookout, --smart-mask", motion(tree, lookout(true), 0), minute);
        tree("webcam-capture default algorithm", motion(tree, WebcamMotionDetectorDefaultAlgorithm::new, 0), minute);
        for (String clip : List.of("tree.avi", "foliage.avi")) {
            System.out.println();
            System.out.println("### " + clip + ", the first " + START_SECONDS + " s after start: false frames, false events");
            System.out.println();
            System.out.println("| detector started at | Lookout | webcam-capture default algorithm |");
            System.out.println("|---|---:|---:|");
            int frames = (int) (START_SECONDS * FPS);
            for (int start : TREE_STARTS) {
                int skip = (int) (start * FPS);
                Path foliage = footage.resolve(clip);
                System.out.printf(Locale.ROOT, "| %d s | %s | %s |%n", start, start(motion(foliage, lookout(false), skip), frames),
                        start(motion(foliage, WebcamMotionDetectorDefaultAlgorithm::new, skip), frames));
            }
        }
    }

    /** Scores NAME.avi against NAME.csv for both detectors. */
    private static void sequence(Path footage, String name, String title) throws IOException {
        List<Score.Truth> truth = Score.labels(footage.resolve(name + ".csv"));
        Path clip = footage.resolve(name + ".avi");
        System.out.println("### " + title + " (" + truth.size() + " frames at 5 fps)");
        System.out.println();
        System.out.println("Lookout, default settings:");
        System.out.println();
        System.out.println(new Score(truth, motion(clip, lookout(false), 0), frameMillis()).table());
        System.out.println("webcam-capture default algorithm:");
        System.out.println();
        System.out.println(new Score(truth, motion(clip, WebcamMotionDetectorDefaultAlgorithm::new, 0), frameMillis()).table());
    }

    /** False frames and false events (as {@link Score} counts them) in the first {@code frames} decisions. */
    private static String start(List<Boolean> motion, int frames) {
        List<Boolean> first = motion.subList(0, Math.min(frames, motion.size()));
        Score.Tally t = new Score(first.stream().map(m -> new Score.Truth(Score.Label.LIGHT, "tree")).toList(), first,
                frameMillis()).total();
        return t.falseLight() + " of " + t.frames() + ", " + t.falseEvents() + " events";
    }

    private static Supplier<WebcamMotionDetectorAlgorithm> lookout(boolean smartMask) {
        DetectionSettings d = DetectionSettings.DEFAULTS;
        return () -> new LumaMotionAlgorithm(smartMask ? d.withSmartMask(true) : d, Mask.NONE);
    }

    private static long frameMillis() {
        return Math.round(1000 / FPS);
    }

    private static void tree(String name, List<Boolean> motion, int minute) {
        long all = motion.stream().filter(m -> m).count();
        List<Boolean> later = motion.subList(Math.min(minute, motion.size()), motion.size());
        long after = later.stream().filter(m -> m).count();
        System.out.printf(Locale.ROOT, "| %s | %d of %d (%.1f %%) | %d of %d (%.1f %%) |%n", name, all, motion.size(),
                100.0 * all / motion.size(), after, later.size(), 100.0 * after / Math.max(1, later.size()));
    }

    /**
     * One decision per frame of the clip from frame {@code skip} on, as webcam-capture's detector makes
     * them: filter, then detect.
     */
    private static List<Boolean> motion(Path clip, Supplier<WebcamMotionDetectorAlgorithm> algorithms, int skip)
            throws IOException {
        WebcamMotionDetectorAlgorithm algorithm = algorithms.get();
        List<Boolean> motion = new ArrayList<>();
        BufferedImage previous = null;
        try (FrameStream frames = Sources.open("file:" + clip, new Dimension(768, 576), FPS,
                DetectionSettings.DEFAULTS.planeWidth())) {
            Frame frame;
            for (int i = 0; i < skip && frames.next() != null; i++) {
                // frames before the detector starts
            }
            while ((frame = frames.next()) != null) {
                // Lookout looks at the small grey picture its source makes; webcam-capture's default at the whole frame
                BufferedImage filtered = algorithm.filter(algorithm instanceof LumaMotionAlgorithm
                        ? frame.detectionImage() : frame.image());
                if (algorithm instanceof LumaMotionAlgorithm luma) {
                    luma.clock(frame.captureMillis()); // the clip's time, not the wall clock (it runs faster)
                }
                motion.add(previous != null && algorithm.detect(previous, filtered));
                previous = filtered;
            }
        }
        return motion;
    }
}
