package dev.lookout.agent.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.sarxos.webcam.Webcam;
import com.github.sarxos.webcam.WebcamMotionDetector;
import com.github.sarxos.webcam.WebcamMotionEvent;
import dev.lookout.agent.detect.DetectionSettings;
import dev.lookout.agent.detect.LumaMotionAlgorithm;
import dev.lookout.agent.detect.Mask;
import java.awt.Dimension;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sources and the algorithm plugged into webcam-capture's own Webcam and WebcamMotionDetector, headless. */
class SourceDriverTest {
    @Test
    void webcamCaptureReadsTheSourceAndItsDetectorFiresOnTheSyntheticPerson(@TempDir Path tmp) throws Exception {
        String tmpdir = System.getProperty("java.io.tmpdir");
        System.setProperty("java.io.tmpdir", tmp.toString());
        StreamDevice device = Sources.device("synthetic", new Dimension(320, 240), 25, 160, java.time.Duration.ofSeconds(10));
        Webcam webcam = Cameras.open(device);
        System.setProperty("java.io.tmpdir", tmpdir);
        assertEquals("synthetic", webcam.getName());
        try (var files = Files.list(tmp)) {
            assertEquals(List.of(), files.toList(), "webcam-capture's lock file must stay off");
        }
        try {
            BufferedImage image = null;
            for (long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10); image == null && System.nanoTime() < end; ) {
                image = webcam.getImage();
            }
            assertNotNull(image);
            assertEquals(320, image.getWidth());

            CompletableFuture<WebcamMotionEvent> motion = new CompletableFuture<>();
            WebcamMotionDetector detector = new WebcamMotionDetector(webcam,
                    new LumaMotionAlgorithm(DetectionSettings.DEFAULTS, Mask.NONE), 100);
            detector.addMotionListener(motion::complete);
            detector.start();
            WebcamMotionEvent event = motion.get(30, TimeUnit.SECONDS);
            assertTrue(event.getArea() >= DetectionSettings.DEFAULTS.areaPercent(), "area " + event.getArea());
            detector.stop();
        } finally {
            webcam.close();
        }
    }
}
