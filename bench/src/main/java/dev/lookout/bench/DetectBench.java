package dev.lookout.bench;

import com.github.sarxos.webcam.WebcamMotionDetectorAlgorithm;
import com.github.sarxos.webcam.WebcamMotionDetectorDefaultAlgorithm;
import dev.lookout.agent.capture.Frame;
import dev.lookout.agent.capture.SyntheticScene;
import dev.lookout.agent.detect.DetectionSettings;
import dev.lookout.agent.detect.LumaMotionAlgorithm;
import dev.lookout.agent.detect.Mask;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Detector cost per frame (filter + detect), Lookout's algorithm against webcam-capture's default
 * on the identical frames, in one JVM, after a warm-up pass. {@code bench/run detect}.
 */
public final class DetectBench {
    private static final int FRAMES = 120;
    private static final int PASSES = 3;

    private DetectBench() {
    }

    public static void main(String[] args) {
        System.out.println("| frame size | Lookout ms/frame | webcam-capture default ms/frame | speed-up |");
        System.out.println("|---|---:|---:|---:|");
        for (int[] size : new int[][] {{640, 480}, {1280, 720}}) {
            List<BufferedImage> frames = frames(size[0], size[1]);
            double ours = perFrame(frames, () -> new LumaMotionAlgorithm(DetectionSettings.DEFAULTS, Mask.NONE));
            double theirs = perFrame(frames, WebcamMotionDetectorDefaultAlgorithm::new);
            System.out.printf(Locale.ROOT, "| %dx%d | %.3f | %.1f | %.0f× |%n", size[0], size[1], ours, theirs, theirs / ours);
        }
    }

    /** The demo scene's busiest stretch: a person crossing, then the lights switched on. */
    private static List<BufferedImage> frames(int width, int height) {
        SyntheticScene scene = SyntheticScene.demo(width, height, 5, 1);
        List<BufferedImage> frames = new ArrayList<>();
        Frame frame;
        while ((frame = scene.next()) != null) {
            if (frame.index() >= 40 && frames.size() < FRAMES) {
                frames.add(frame.image());
            }
        }
        return frames;
    }

    /** Mean milliseconds per frame over the last pass; earlier passes warm the JIT up. */
    private static double perFrame(List<BufferedImage> frames, Supplier<WebcamMotionDetectorAlgorithm> algorithms) {
        double ms = 0;
        for (int pass = 0; pass < PASSES; pass++) {
            WebcamMotionDetectorAlgorithm algorithm = algorithms.get();
            BufferedImage previous = null;
            long start = System.nanoTime();
            for (BufferedImage frame : frames) {
                BufferedImage filtered = algorithm.filter(frame);
                if (previous != null) {
                    algorithm.detect(previous, filtered);
                }
                previous = filtered;
            }
            ms = (System.nanoTime() - start) / 1e6 / frames.size();
        }
        return ms;
    }
}
