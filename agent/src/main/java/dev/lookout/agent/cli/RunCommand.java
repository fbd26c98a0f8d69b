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
import dev.lookout.agent.schedule.Schedules;
import dev.lookout.agent.send.Drainer;
import dev.lookout.agent.spool.Spool;
import dev.lookout.protocol.FrameWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
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

    @Mixin
    SpoolOptions spooling;

    @Option(names = "--control", defaultValue = "/run/lookout-agent/control.sock", paramLabel = "PATH",
            description = "The admin socket for 'lookout-agent ctl' (default: ${DEFAULT-VALUE}).")
    Path controlPath;

    @Option(names = "--snapshot-cron", paramLabel = "EXPR",
            description = "Also take a still on this Quartz cron schedule, motion or not (with seconds:"
                    + " '0 0 * * * ?' is hourly) — a heartbeat or a timelapse.")
    String snapshotCron;

    @Option(names = "--retry-every", defaultValue = "60", paramLabel = "SECONDS",
            description = "Try again to send what waits in the spool this often (default: ${DEFAULT-VALUE}).")
    long retrySeconds;

    @Option(names = "--time-zone", paramLabel = "ZONE", description = "Zone of the schedules (default: the system's).")
    java.time.ZoneId timeZone;

    @Option(names = "--clock-wait", defaultValue = "60", paramLabel = "SECONDS",
            description = "At start, wait this long for the system clock to be synchronised (a Pi has no RTC);"
                    + " stills taken while it is not are marked, and the receiver files them by arrival time"
                    + " (default: ${DEFAULT-VALUE}).")
    long clockWaitSeconds;

    @Option(names = "--duration", defaultValue = "0", paramLabel = "SECONDS",
            description = "Stop after this long; 0 runs until stopped (default: ${DEFAULT-VALUE}).")
    long durationSeconds;

    private final AtomicBoolean armed = new AtomicBoolean(true);
    private final AtomicReference<String> lastEvent = new AtomicReference<>("none");
    private final AtomicReference<String> lastDelivery = new AtomicReference<>("none");
    private final AtomicReference<String> lastProblem = new AtomicReference<>();

    @Override
    public Integer call() throws Exception {
        String name = camera.name();
        if (snapshotCron != null) {
            Schedules.checkCron(snapshotCron);
        }
        if (retrySeconds < 1) {
            throw new IllegalArgumentException("--retry-every must be at least 1 second");
        }
        Spool spool = spooling.spool();
        Drainer drainer = spooling.drainer(spool, delivery.sender(), (entry, path, millis) -> {
            LOG.info("still sent: {} ({} KB, {} ms)", path, entry.header().length() / 1024, millis);
            lastDelivery.set(path + " at " + java.time.LocalTime.now().withNano(0));
        });
        ExecutorService sending = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "send");
            thread.setDaemon(true);
            return thread;
        });
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
        Consumer<Frame> snapshot = frame -> {
            try {
                spool(spool, encoder, new Still(name, frame, 0, 0, false), clock.unsynced());
                sending.execute(drain);
            } catch (IOException e) {
                LOG.warn("cannot spool a snapshot: {}", e.toString());
            }
        };
        ControlServer control = null;
        try {
            control = new ControlServer(controlPath, command -> answer(command, device, spool, snapshot,
                    () -> sending.execute(drain)));
        } catch (IOException e) {
            LOG.warn("no control socket ({}): the agent runs without one", e.toString());
        }
        ControlServer controlServer = control;
        Schedules schedules = new Schedules(timeZone != null ? timeZone : java.time.ZoneId.systemDefault());
        schedules.every("retry", Duration.ofSeconds(retrySeconds), () -> sending.execute(drain));
        if (snapshotCron != null) {
            schedules.cron("snapshot", snapshotCron, () -> {
                Frame frame = device.latestFrame();
                if (frame != null) {
                    snapshot.accept(frame);
                }
            });
        }
        Thread stop = new Thread(() -> finish(pipeline, schedules, sending, webcam, controlServer), "stop");
        Runtime.getRuntime().addShutdownHook(stop);
        LOG.info("watching {} as '{}', sending to {}; control socket {}", detection.source(), name, delivery.to,
                controlPath);
        sending.execute(drain);
        watch(device, pipeline);
        Runtime.getRuntime().removeShutdownHook(stop);
        finish(pipeline, schedules, sending, webcam, controlServer);
        return ExitStatus.OK.code();
    }

    /** What the control socket answers. */
    private String answer(String command, StreamDevice device, Spool spool, Consumer<Frame> snapshot, Runnable flush) {
        switch (command) {
            case "status" -> {
                int depth;
                try {
                    depth = spool.size();
                } catch (IOException e) {
                    depth = -1;
                }
                return "camera: " + camera.camera + " (" + detection.source() + ", " + device.getFPS() + " fps)\n"
                        + "armed: " + (armed.get() ? "yes" : "no") + "\n"
                        + "last event: " + lastEvent.get() + "\n"
                        + "spool: " + depth + " stills waiting\n"
                        + "last delivery: " + lastDelivery.get() + "\n"
                        + "last error: " + (lastProblem.get() == null ? "none" : lastProblem.get());
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
                armed.set(command.equals("arm"));
                LOG.info("{} by the control socket", command.equals("arm") ? "armed" : "disarmed");
                return "OK " + command + "ed";
            }
            case "flush" -> {
                flush.run();
                return "OK flushing";
            }
            default -> {
                return "ERR unknown command '" + command + "' (status, snapshot, arm, disarm, flush)";
            }
        }
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
                if (!armed.get()) {
                    TimeUnit.MILLISECONDS.sleep(10);
                    continue;
                }
                MotionPipeline.Result result = pipeline.accept(frame, lastGeneration);
                if (result.eventId() != event) {
                    if (event != 0) {
                        LOG.info("motion ended (event {})", event);
                    }
                    if (result.eventId() != 0) {
                        lastEvent.set("event " + result.eventId() + " at " + java.time.LocalTime.now().withNano(0));
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
        long taken = still.frame().captureMillis();
        // The id names this still: its time and bytes (two snapshots of an unchanged scene are two stills).
        byte[] id = FrameWriter.contentId(ByteBuffer.allocate(Long.BYTES + jpeg.length).putLong(taken).put(jpeg).array());
        spool.add(still.camera(), taken, id, clockUnsynced, jpeg);
    }

    /**
     * Stops the schedules (waiting for a running job), closes the control socket, ends an open event,
     * sends what waits (for a few seconds at most) and closes the camera.
     */
    private static void finish(MotionPipeline pipeline, Schedules schedules, ExecutorService sending, Webcam webcam,
                               ControlServer control) {
        try {
            schedules.close();
            if (control != null) {
                control.close();
            }
        } catch (IOException | org.quartz.SchedulerException e) {
            LOG.warn("stopping: {}", e.toString());
        }
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
