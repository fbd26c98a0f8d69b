package dev.lookout.agent.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.sarxos.webcam.Webcam;
import dev.lookout.agent.capture.Cameras;
import dev.lookout.agent.capture.Frame;
import dev.lookout.agent.capture.Sources;
import dev.lookout.agent.capture.StreamDevice;
import dev.lookout.agent.detect.DetectionSettings;
import dev.lookout.agent.detect.LumaMotionAlgorithm;
import dev.lookout.agent.detect.Mask;
import java.awt.Dimension;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each new frame of the source goes through webcam-capture's Webcam and motion detector, once. */
class FrameDetectorTest {
    @Test
    void judgesEveryNewFrameThroughWebcamCaptureAndHearsOfMotionFromItsListener() throws Exception {
        // (that Cameras.open leaves webcam-capture's lock file off is SourceDriverTest's)
        StreamDevice device = Sources.device("synthetic", new Dimension(320, 240), 25, 160, java.time.Duration.ofSeconds(10));
        Webcam webcam = Cameras.open(device);
        FrameDetector detector = new FrameDetector(webcam, new LumaMotionAlgorithm(DetectionSettings.DEFAULTS, Mask.NONE));
        List<Long> judged = new ArrayList<>();
        List<Long> moving = new ArrayList<>();
        try {
            Frame last = null;
            while (moving.size() < 3) {
                Frame frame = device.awaitFrame(last, 10_000);
                assertTrue(frame != null, "a new frame within 10 s");
                boolean motion = detector.judge();
                last = device.servedFrame();
                judged.add(last.index());
                if (motion) {
                    moving.add(last.index());
                }
                assertTrue(judged.size() < 500, "motion within 500 frames");
            }
        } finally {
            webcam.close();
        }
        assertEquals(judged.stream().distinct().count(), judged.size(), "each frame judged once: " + judged);
        assertTrue(judged.size() > moving.size(), "frames without motion are judged too");
    }
}
