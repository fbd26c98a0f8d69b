package dev.lookout.agent.cli;

import com.github.sarxos.webcam.Webcam;
import dev.lookout.agent.capture.Cameras;
import dev.lookout.agent.capture.ClockSync;
import dev.lookout.agent.capture.Frame;
import dev.lookout.agent.capture.Sources;
import dev.lookout.agent.capture.StreamDevice;
import dev.lookout.agent.control.ControlServer;
import dev.lookout.agent.detect.MotionPipeline;
import dev.lookout.agent.detect.Still;
import dev.lookout.agent.encode.StillEncoder;
import dev.lookout.agent.schedule.Arming;
import dev.lookout.agent.schedule.Schedules;
import dev.lookout.agent.send.Backoff;
import dev.lookout.agent.send.Courier;
import dev.lookout.agent.spool.Spool;
import dev.lookout.agent.spool.SpoolFullException;
import dev.lookout.protocol.FrameWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.quartz.SchedulerException;
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
    ConfigOption config;

    @Mixin
    DetectionOptions detection;

    @Mixin
    CameraOption camera;

    @Mixin
    DeliveryOptions delivery;

    @Mixin
    SpoolOptions spooling;

    @Option(names = "--control", defaultValue = "/run/lookout-agent/control.sock", paramLabel = "PATH",
            description = "The admin socket for 'lookout-agent ctl' (default: ${DEFAULT-VALUE}).")
    Path controlPath;

    @Option(names = "--snapshot-cron", paramLabel = "EXPR",
            description = "Also take a still on this Quartz cron schedule, motion or not (with seconds:"
                    + " '0 0 * * * ?' is hourly) — a heartbeat or a timelapse.")
    String snapshotCron;

    @Option(names = "--armed-cron", paramLabel = "EXPR",
            description = "Detect only in the seconds this Quartz cron expression matches, e.g. '* * 8-17 ? * MON-FRI'"
                    + " for weekdays 08:00-17:59; repeat for more windows (default: always armed). 'ctl arm|disarm'"
                    + " overrides until a window next opens or closes.")
    java.util.List<String> armedCron = new java.util.ArrayList<>();

    @Option(names = "--retry-min", defaultValue = "2", paramLabel = "SECONDS",
            description = "After a failed send, the first try again comes within this long; each further failure"
                    + " doubles the wait, drawn at random from its upper half (default: ${DEFAULT-VALUE}).")
    long retryMinSeconds;

    @Option(names = "--retry-max", defaultValue = "300", paramLabel = "SECONDS",
            description = "The longest wait between tries; the spool and its outbox are also looked at this often"
                    + " (default: ${DEFAULT-VALUE}).")
    long retryMaxSeconds;

    @Option(names = "--time-zone", paramLabel = "ZONE", description = "Zone of the schedules (default: the system's).")
    ZoneId timeZone;

    @Option(names = "--clock-wait", defaultValue = "60", paramLabel = "SECONDS",
            description = "At start, wait this long for the system clock to be synchronised (a Pi has no RTC);"
                    + " stills taken while it is not are marked, and the receiver files them by arrival time"
                    + " (default: ${DEFAULT-VALUE}).")
    long clockWaitSeconds;

    @Option(names = "--duration", defaultValue = "0", paramLabel = "SECONDS",
            description = "Stop after this long; 0 runs until stopped (default: ${DEFAULT-VALUE}).")
    long durationSeconds;

    private final AtomicReference<String> lastEvent = new AtomicReference<>("none");

    @Override
    public Integer call() throws Exception {
        String name = camera.name();
        if (snapshotCron != null) {
            Schedules.checkCron(snapshotCron);
        }
        if (retryMinSeconds < 1 || retryMaxSeconds < retryMinSeconds) {
            throw new IllegalArgumentException("--retry-min must be at least 1 and at most --retry-max");
        }
        ZoneId zone = timeZone != null ? timeZone : ZoneId.systemDefault();
        Arming arming = new Arming(armedCron, zone, Instant.now());
        Backoff backoff = new Backoff(Duration.ofSeconds(retryMinSeconds), Duration.ofSeconds(retryMaxSeconds),
                () -> ThreadLocalRandom.current().nextDouble());
        Spool spool = spooling.spool();
        Schedules schedules = new Schedules(zone);
        Courier courier = spooling.courier(spool, name, delivery.sender(), backoff, (wait, task) -> {
            try {
                schedules.after("retry", wait, task);
            } catch (SchedulerException e) {
                LOG.warn("cannot schedule the next try: {}", e.toString());
            }
        });
        ControlServer control = null;
        try {
            control = new ControlServer(controlPath, command -> command.equals("status")
                    ? "camera: " + camera.camera + "\nstarting: waiting for clock sync (" + clockWaitSeconds + " s at most)"
                    : ControlServer.STARTING + "waiting for clock sync; try again soon");
        } catch (IOException e) {
            LOG.warn("no control socket ({}): the agent runs without one", e.toString());
        }
        ClockSync clock = ClockSync.system();
        if (!clock.await(Duration.ofSeconds(clockWaitSeconds))) {
            LOG.warn("the clock is not synchronised after {} s: stills are marked so that the receiver files them"
                    + " by arrival time", clockWaitSeconds);
        }
        StillEncoder encoder = detection.encoder();
        Consumer<Still> deliver = still -> {
            try {
                spool(spool, encoder, still, clock.unsynced());
                courier.stillSpooled();
            } catch (SpoolFullException e) {
                LOG.warn("still lost: {}", e.getMessage());
            } catch (IOException e) {
                LOG.warn("cannot spool a still: {}", e.toString());
            }
        };
        MotionPipeline pipeline = detection.pipeline(name, deliver);
        StreamDevice device = Sources.device(detection.source(), detection.dimension(), detection.fps());
        Webcam webcam = Cameras.open(device);
        Consumer<Frame> snapshot = frame -> deliver.accept(new Still(name, frame, 0, 0, false));
        if (control != null) {
            control.answerWith(command -> answer(command, device, spool, snapshot, arming, courier));
        }
        ControlServer controlServer = control;
        plan(schedules, courier, arming, device, snapshot);
        // Stopped by SIGTERM, the agent finishes as at the end of --duration and exits 0, as then
        // (a JVM ended by a signal would exit 143 after its hooks).
        Thread stop = new Thread(() -> {
            finish(pipeline, schedules, courier, webcam, controlServer);
            Runtime.getRuntime().halt(ExitStatus.OK.code());
        }, "stop");
        Runtime.getRuntime().addShutdownHook(stop);
        try {
            LOG.info("watching {} as '{}', sending to {}; armed: {}; control socket {}", detection.source(), name,
                    delivery.to, arming.describe(), controlPath);
            courier.now();
            watch(device, pipeline, arming);
        } finally {
            Runtime.getRuntime().removeShutdownHook(stop);
        }
        finish(pipeline, schedules, courier, webcam, controlServer);
        return ExitStatus.OK.code();
    }

    /** The timed work: the spool swept, the arming windows followed, snapshots taken. */
    private void plan(Schedules schedules, Courier courier, Arming arming, StreamDevice device, Consumer<Frame> snapshot)
            throws SchedulerException {
        schedules.every("sweep", Duration.ofSeconds(retryMaxSeconds), courier::now);
        if (arming.hasWindows()) {
            schedules.every("arming", Duration.ofSeconds(1), () -> {
                Boolean changed = arming.update(Instant.now());
                if (changed != null) {
                    LOG.info("{} by the arming window", changed ? "armed" : "disarmed");
                }
            });
        }
        if (snapshotCron != null) {
            schedules.cron("snapshot", snapshotCron, () -> {
                Frame frame = device.latestFrame();
                if (frame != null) {
                    snapshot.accept(frame);
                }
            });
        }
    }

    /** What the control socket answers. */
    private String answer(String command, StreamDevice device, Spool spool, Consumer<Frame> snapshot, Arming arming,
                          Courier courier) {
        switch (command) {
            case "status" -> {
                int depth;
                try {
                    depth = spool.size();
                } catch (IOException e) {
                    depth = -1;
                }
                return "camera: " + camera.camera + " (" + detection.source() + ", " + device.getFPS() + " fps)\n"
                        + "armed: " + arming.describe() + "\n"
                        + "source: " + device.health() + "\n"
                        + "last event: " + lastEvent.get() + "\n"
                        + "spool: " + depth + " stills waiting\n"
                        + "last delivery: " + courier.lastDelivery() + "\n"
                        + "last error: " + courier.lastProblem();
            }
            case "snapshot" -> {
                Frame frame = device.latestFrame();
                if (frame == null) {
                    return "ERR no frame from the camera yet";
                }
                snapshot.accept(frame);
                return "OK snapshot taken";
            }
            case "arm", "disarm" -> {
                arming.hold(command.equals("arm"));
                LOG.info("{} by the control socket", command.equals("arm") ? "armed" : "disarmed");
                return "OK " + command + "ed" + (arming.hasWindows() ? " until the arming window next opens or closes" : "");
            }
            case "flush" -> {
                courier.now();
                return "OK flushing";
            }
            default -> {
                return "ERR unknown command '" + command + "' (status, snapshot, arm, disarm, flush)";
            }
        }
    }

    /** Feeds each new frame to detection while armed, until the duration is over (or forever). */
    private void watch(StreamDevice device, MotionPipeline pipeline, Arming arming) throws InterruptedException {
        long end = durationSeconds > 0 ? System.nanoTime() + TimeUnit.SECONDS.toNanos(durationSeconds) : Long.MAX_VALUE;
        long lastIndex = -1;
        int lastGeneration = -1;
        int event = 0;
        boolean paused = false;
        while (System.nanoTime() < end) {
            Frame frame = device.latestFrame();
            if (frame != null && (frame.index() != lastIndex || device.generation() != lastGeneration)) {
                lastIndex = frame.index();
                lastGeneration = device.generation();
                if (!arming.armed()) {
                    if (!paused) {
                        pipeline.pause();
                        paused = true;
                    }
                } else {
                    paused = false;
                    MotionPipeline.Result result = pipeline.accept(frame, lastGeneration);
                    event = report(event, result);
                }
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
    }

    /** Logs an event's start and end; returns the event now open (0 for none). */
    private int report(int event, MotionPipeline.Result result) {
        if (result.eventId() != event) {
            if (event != 0) {
                LOG.info("motion ended (event {})", event);
            }
            if (result.eventId() != 0) {
                lastEvent.set("event " + result.eventId() + " at " + LocalTime.now().withNano(0));
                LOG.info("motion started (event {}, {} % of the view changed)", result.eventId(),
                        String.format(java.util.Locale.ROOT, "%.1f", result.changedPercent()));
            }
        }
        return result.eventId();
    }

    private static void spool(Spool spool, StillEncoder encoder, Still still, boolean clockUnsynced) throws IOException {
        byte[] jpeg = encoder.encode(still, !clockUnsynced);
        long taken = still.frame().captureMillis();
        // The id names this still: its time and bytes (two snapshots of an unchanged scene are two stills).
        byte[] id = FrameWriter.contentId(ByteBuffer.allocate(Long.BYTES + jpeg.length).putLong(taken).put(jpeg).array());
        spool.add(still.camera(), taken, id, clockUnsynced, jpeg);
    }

    /**
     * Stops the schedules (waiting for a running job), closes the control socket, ends an open event,
     * sends what waits (for a few seconds at most) and closes the camera.
     */
    private static void finish(MotionPipeline pipeline, Schedules schedules, Courier courier, Webcam webcam,
                               ControlServer control) {
        try {
            schedules.close();
            if (control != null) {
                control.close();
            }
        } catch (IOException | SchedulerException e) {
            LOG.warn("stopping: {}", e.toString());
        }
        pipeline.finish();
        try {
            courier.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        webcam.close();
    }
}
