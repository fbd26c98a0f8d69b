package dev.lookout.bench;

import dev.lookout.agent.capture.Frame;
import dev.lookout.agent.capture.Sources;
import dev.lookout.agent.capture.StreamDevice;
import dev.lookout.agent.detect.DetectionSettings;
import dev.lookout.agent.detect.EventTracker;
import dev.lookout.agent.detect.LumaMotionAlgorithm;
import dev.lookout.agent.detect.Mask;
import dev.lookout.agent.detect.MotionPipeline;
import dev.lookout.agent.detect.StillPolicy;
import java.awt.Dimension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The agent's capture and detection running live on a source for a while, in this JVM: CPU time
 * per frame (this JVM and the source's ffmpeg) and peak RSS. {@code bench/run live} starts it in
 * a JVM with the agent's flags on a 640x480 MJPEG stream at 5 fps.
 */
public final class LiveDetectBench {
    private LiveDetectBench() {
    }

    public static void main(String[] args) throws Exception {
        String source = args[0];
        Duration length = Duration.ofSeconds(Long.parseLong(args[1]));
        double fps = 5;
        StreamDevice device = Sources.device(source, new Dimension(640, 480), fps);
        AtomicInteger stills = new AtomicInteger();
        EventTracker events = new EventTracker(2, 3000);
        MotionPipeline pipeline = new MotionPipeline("bench", new LumaMotionAlgorithm(DetectionSettings.DEFAULTS, Mask.NONE),
                events, StillPolicy.DEFAULT, still -> stills.incrementAndGet());
        device.open();
        long frames = 0;
        long lastIndex = -1;
        int lastGeneration = -1;
        double childCpu = 0;
        long end = System.nanoTime() + length.toNanos();
        while (System.nanoTime() < end) {
            Frame frame = device.latestFrame();
            if (frame != null && (frame.index() != lastIndex || device.generation() != lastGeneration)) {
                lastIndex = frame.index();
                lastGeneration = device.generation();
                pipeline.accept(frame, lastGeneration);
                frames++;
                childCpu = Math.max(childCpu, childCpuSeconds());
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        device.close();
        double jvmCpu = ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos() / 1e9;
        System.out.printf(Locale.ROOT, "| %s | %d s | %d | %d | %.1f ms | %.1f ms | %.1f MB |%n", source.replaceAll("/.*/", ""),
                length.toSeconds(), frames, events.events(), 1000 * jvmCpu / frames, 1000 * childCpu / frames, peakRssMb());
    }

    private static double childCpuSeconds() {
        return ProcessHandle.current().descendants().mapToDouble(p -> p.info().totalCpuDuration()
                .map(d -> d.toNanos() / 1e9).orElse(0.0)).sum();
    }

    private static double peakRssMb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
            }
        }
        return -1;
    }
}
