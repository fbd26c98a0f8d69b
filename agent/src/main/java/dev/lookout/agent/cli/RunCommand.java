package dev.lookout.agent.cli;

import com.github.sarxos.webcam.Webcam;
import dev.lookout.agent.capture.Cameras;
import dev.lookout.agent.capture.ClockSync;
import dev.lookout.agent.capture.Frame;
import dev.lookout.agent.capture.Sources;
import dev.lookout.agent.capture.StreamDevice;
import dev.lookout.agent.detect.MotionPipeline;
import dev.lookout.agent.detect.Still;
import dev.lookout.agent.encode.StillEncoder;
import dev.lookout.agent.send.Drainer;
import dev.lookout.agent.spool.Spool;
import dev.lookout.protocol.FrameWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Watches the source and delivers the stills of every event: each still goes into the spool",
            "and is sent at once; what cannot be sent stays in the spool and goes with the next still or 'flush'.",
            "Runs until stopped (SIGTERM) or for --duration seconds. Progress goes to standard error."})
final class RunCommand implements java.util.concurrent.Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger("lookout.agent");

    @Mixin
    DetectionOptions detection;

    @Mixin
    CameraOption camera;

    @Mixin
    DeliveryOptions delivery;

    @Option(names = "--spool", defaultValue = "/var/spool/lookout", paramLabel = "DIR",
            description = "The spool folder (default: ${DEFAULT-VALUE}); a tmpfs spares an SD card, but loses stills on power loss.")
    Path spoolDir;

    @Option(names = "--spool-max-bytes", defaultValue = "536870912", paramLabel = "BYTES",
            description = "The spool drops its oldest stills beyond this size (default: ${DEFAULT-VALUE}, 512 MiB).")
    long maxBytes;

    @Option(names = "--spool-max-files", defaultValue = "10000", paramLabel = "N",
            description = "…or beyond this many stills (default: ${DEFAULT-VALUE}).")
    int maxFiles;

    @Option(names = "--batch", defaultValue = "100", paramLabel = "N",
            description = "Stills per connection when a backlog drains (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--clock-wait", defaultValue = "60", paramLabel = "SECONDS",
            description = "At start, wait this long for the system clock to be synchronised (a Pi has no RTC);"
                    + " stills taken while it is not are marked, and the receiver files them by arrival time"
                    + " (default: ${DEFAULT-VALUE}).")
    long clockWaitSeconds;

    @Option(names = "--duration", defaultValue = "0", paramLabel = "SECONDS",
            description = "Stop after this long; 0 runs until stopped (default: ${DEFAULT-VALUE}).")
    long durationSeconds;

    @Override
    public Integer call() throws Exception {
        String name = camera.name();
        Spool spool = new Spool(spoolDir, maxBytes, maxFiles);
        Drainer drainer = new Drainer(spool, delivery.sender(), batch, (entry, path, millis) ->
                LOG.info("still sent: {} ({} KB, {} ms)", path, entry.header().length() / 1024, millis));
        ExecutorService sending = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "send");
            thread.setDaemon(true);
            return thread;
        });
        AtomicReference<String> lastProblem = new AtomicReference<>();
        Runnable drain = () -> {
            try {
                String problem = drainer.drain().problem();
                if (problem != null && !problem.equals(lastProblem.getAndSet(problem))) {
                    LOG.warn("not delivered now, kept in the spool: {}", problem);
                } else if (problem == null) {
                    lastProblem.set(null);
                }
            } catch (Exception e) {
                LOG.warn("sending failed: {}", e.toString());
            }
        };
        ClockSync clock = ClockSync.system();
        if (!clock.await(Duration.ofSeconds(clockWaitSeconds))) {
            LOG.warn("the clock is not synchronised after {} s: stills are marked so that the receiver files them"
                    + " by arrival time", clockWaitSeconds);
        }
        StillEncoder encoder = detection.encoder();
        MotionPipeline pipeline = detection.pipeline(name, still -> {
            try {
                spool(spool, encoder, still, clock.unsynced());
                sending.execute(drain);
            } catch (IOException e) {
                LOG.warn("cannot spool a still: {}", e.toString());
            }
        });
        StreamDevice device = Sources.device(detection.source(), detection.dimension(), detection.fps());
        Webcam webcam = Cameras.open(device);
        Thread stop = new Thread(() -> finish(pipeline, sending, webcam), "stop");
        Runtime.getRuntime().addShutdownHook(stop);
        LOG.info("watching {} as '{}', sending to {}", detection.source(), name, delivery.to);
        sending.execute(drain);
        watch(device, pipeline);
        Runtime.getRuntime().removeShutdownHook(stop);
        finish(pipeline, sending, webcam);
        return ExitStatus.OK.code();
    }

    /** Feeds each new frame to detection until the duration is over (or forever). */
    private void watch(StreamDevice device, MotionPipeline pipeline) throws InterruptedException {
        long end = durationSeconds > 0 ? System.nanoTime() + TimeUnit.SECONDS.toNanos(durationSeconds) : Long.MAX_VALUE;
        long lastIndex = -1;
        int lastGeneration = -1;
        int event = 0;
        while (System.nanoTime() < end) {
            Frame frame = device.latestFrame();
            if (frame != null && (frame.index() != lastIndex || device.generation() != lastGeneration)) {
                lastIndex = frame.index();
                lastGeneration = device.generation();
                MotionPipeline.Result result = pipeline.accept(frame, lastGeneration);
                if (result.eventId() != event) {
                    if (event != 0) {
                        LOG.info("motion ended (event {})", event);
                    }
                    if (result.eventId() != 0) {
                        LOG.info("motion started (event {}, {} % of the view changed)", result.eventId(),
                                String.format(java.util.Locale.ROOT, "%.1f", result.changedPercent()));
                    }
                    event = result.eventId();
                }
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
    }

    private static void spool(Spool spool, StillEncoder encoder, Still still, boolean clockUnsynced) throws IOException {
        byte[] jpeg = encoder.encode(still);
        spool.add(still.camera(), still.frame().captureMillis(), FrameWriter.contentId(jpeg), clockUnsynced, jpeg);
    }

    /** Ends an open event, sends what waits (for a few seconds at most), closes the camera. */
    private static void finish(MotionPipeline pipeline, ExecutorService sending, Webcam webcam) {
        pipeline.finish();
        sending.shutdown();
        try {
            sending.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        webcam.close();
    }
}
