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
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "detect", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs detection over a source as fast as it can, for tuning thresholds on a recorded clip.",
            "With --csv, prints one row per frame: index,capture_ms,changed_pct,motion,event_id",
            "(motion is 1 when change was detected in that frame; event_id is empty outside events).",
            "A summary goes to standard error. A live source is read until --duration is over or until",
            "interrupted (Ctrl-C, SIGTERM): either way the summary is printed and --stills and --mask-out written."})
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

    @Option(names = "--duration", defaultValue = "0", paramLabel = "SECONDS",
            description = "Stop after this long; 0 reads the source to its end, or until interrupted (default: ${DEFAULT-VALUE}).")
    long durationSeconds;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (durationSeconds < 0) {
            throw new IllegalArgumentException("--duration must not be negative");
        }
        try (FrameStream stream = Sources.open(detection.source(), detection.dimension(), detection.fps(),
                detection.planeWidth); Stop stop = new Stop(stream, durationSeconds)) {
            return detect(stream, stop);
        }
    }

    /**
     * Ends the reading early, from another thread: at the end of {@code --duration}, and on SIGINT or
     * SIGTERM, whose shutdown hook then waits until the summary and files are written and exits 0.
     */
    private static final class Stop implements AutoCloseable {
        private final FrameStream stream;
        private final java.util.concurrent.atomic.AtomicBoolean stopped = new java.util.concurrent.atomic.AtomicBoolean();
        private final java.util.concurrent.CountDownLatch finished = new java.util.concurrent.CountDownLatch(1);
        private final Thread hook = new Thread(this::interrupted, "stop");
        private final Thread timer;

        Stop(FrameStream stream, long seconds) {
            this.stream = stream;
            Runtime.getRuntime().addShutdownHook(hook);
            timer = seconds == 0 ? null : new Thread(() -> {
                try {
                    TimeUnit.SECONDS.sleep(seconds);
                    stop();
                } catch (InterruptedException e) {
                    // finished first
                }
            }, "duration");
            if (timer != null) {
                timer.setDaemon(true);
                timer.start();
            }
        }

        boolean stopped() {
            return stopped.get();
        }

        /** Closes the stream (a live source's ffmpeg ends), so that a reader blocked on it returns. */
        private void stop() {
            if (stopped.compareAndSet(false, true)) {
                try {
                    stream.close();
                } catch (IOException e) {
                    // the stream is ended either way
                }
            }
        }

        private void interrupted() {
            stop();
            try {
                finished.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Runtime.getRuntime().halt(Sysexit.OK.code());
        }

        /** The summary and files are written. */
        @Override
        public void close() {
            finished.countDown();
            if (timer != null) {
                timer.interrupt();
            }
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down: the hook is running and exits once this returns
            }
        }
    }

    private int detect(FrameStream stream, Stop stop) throws IOException {
        List<Still> stills = new ArrayList<>();
        MotionPipeline pipeline = detection.pipeline(camera.name(), stills::add);
        PrintWriter out = spec.commandLine().getOut();
        List<Score.Truth> truth = labels == null ? null : Score.labels(labels);
        List<Boolean> decisions = new ArrayList<>();
        int frames = 0;
        int motionFrames = 0;
        long nanos = 0;
        if (csv) {
            out.println("index,capture_ms,changed_pct,motion,event_id");
        }
        while (!stop.stopped()) {
            Frame frame;
            try {
                frame = stream.next();
            } catch (IOException e) {
                if (stop.stopped()) {
                    break; // closed to stop it
                }
                throw e;
            }
            if (frame == null) {
                break;
            }
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
