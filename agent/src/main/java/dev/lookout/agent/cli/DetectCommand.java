package dev.lookout.agent.cli;

import dev.lookout.agent.capture.Frame;
import dev.lookout.agent.capture.FrameStream;
import dev.lookout.agent.capture.Sources;
import dev.lookout.agent.detect.MotionPipeline;
import dev.lookout.agent.detect.Score;
import dev.lookout.agent.detect.Still;
import dev.lookout.agent.encode.StillEncoder;
import dev.lookout.exit.Sysexit;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "detect", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs detection over a source as fast as it can, for tuning thresholds on a recorded clip.",
            "With --csv, prints one row per frame: index,capture_ms,changed_pct,motion,event_id",
            "(motion is 1 when change was detected in that frame; event_id is empty outside events).",
            "A summary goes to standard error."})
final class DetectCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Mixin
    DetectionOptions detection;

    @Mixin
    CameraOption camera;

    @Option(names = "--csv", description = "Print one CSV row per frame on standard output.")
    boolean csv;

    @Option(names = "--stills", paramLabel = "DIR",
            description = "Write the stills that would be sent into DIR (event-<id>-<frame>.jpg), to check the policy.")
    Path stillsDir;

    @Option(names = "--score", paramLabel = "LABELS.csv",
            description = "Score the decisions against labels (index,label,segment per frame; label motion, still,"
                    + " light or step) and print recall, precision and false frames per segment on standard error.")
    Path labels;

    @Option(names = "--mask-out", paramLabel = "FILE.pgm",
            description = "At the end, write what detection ignores (the mask given and, with --smart-mask, what it learned)"
                    + " as a PGM image at the detection size, for --mask.")
    Path maskOut;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        List<Still> stills = new ArrayList<>();
        MotionPipeline pipeline = detection.pipeline(camera.name(), stills::add);
        PrintWriter out = spec.commandLine().getOut();
        List<Score.Truth> truth = labels == null ? null : Score.labels(labels);
        List<Boolean> decisions = new ArrayList<>();
        int frames = 0;
        int motionFrames = 0;
        long nanos = 0;
        try (FrameStream stream = Sources.open(detection.source(), detection.dimension(), detection.fps(),
                detection.planeWidth)) {
            if (csv) {
                out.println("index,capture_ms,changed_pct,motion,event_id");
            }
            Frame frame;
            while ((frame = stream.next()) != null) {
                long start = System.nanoTime();
                MotionPipeline.Result result = pipeline.accept(frame, 0);
                nanos += System.nanoTime() - start;
                frames++;
                motionFrames += result.motion() ? 1 : 0;
                decisions.add(result.motion());
                if (csv) {
                    out.printf(Locale.ROOT, "%d,%d,%.3f,%d,%s%n", frame.index(), frame.captureMillis(),
                            result.changedPercent(), result.motion() ? 1 : 0,
                            result.eventId() == 0 ? "" : Integer.toString(result.eventId()));
                }
            }
            pipeline.finish();
        }
        out.flush();
        if (stillsDir != null) {
            writeStills(stills, detection.encoder());
        }
        if (truth != null) {
            spec.commandLine().getErr().print(new Score(truth, decisions, Math.round(1000 / detection.fps())).table());
        }
        if (maskOut != null) {
            detection.algorithm.learnedMask().write(maskOut);
        }
        spec.commandLine().getErr().printf(Locale.ROOT,
                "%d frames, %d with motion, %d events, %d stills; detection %.3f ms/frame; noise sigma %.1f%n",
                frames, motionFrames, detection.events.events(), stills.size(), frames == 0 ? 0 : nanos / 1e6 / frames,
                detection.algorithm.noise());
        return Sysexit.OK.code();
    }

    private void writeStills(List<Still> stills, StillEncoder encoder) throws IOException {
        Files.createDirectories(stillsDir);
        for (Still still : stills) {
            Path file = stillsDir.resolve(String.format(Locale.ROOT, "event-%d-%05d%s.jpg", still.eventId(),
                    still.frame().index(), still.preCapture() ? "-pre" : ""));
            Files.write(file, encoder.encode(still, false)); // times from the start of the source, not of the day
        }
    }
}
