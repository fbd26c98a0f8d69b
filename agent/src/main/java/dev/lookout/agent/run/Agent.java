package dev.lookout.agent.run;

import com.github.sarxos.webcam.Webcam;
import dev.lookout.agent.capture.CameraListener;
import dev.lookout.agent.capture.Cameras;
import dev.lookout.agent.capture.ClockSync;
import dev.lookout.agent.capture.Frame;
import dev.lookout.agent.capture.Sources;
import dev.lookout.agent.capture.StreamDevice;
import dev.lookout.agent.control.ControlServer;
import dev.lookout.agent.detect.MotionPipeline;
import dev.lookout.agent.detect.Still;
import dev.lookout.agent.encode.StillEncoder;
import dev.lookout.agent.notify.Notifier;
import dev.lookout.agent.schedule.Arming;
import dev.lookout.agent.schedule.Schedules;
import dev.lookout.agent.send.Backoff;
import dev.lookout.agent.send.Courier;
import dev.lookout.agent.spool.Spool;
import dev.lookout.agent.spool.Upload;
import dev.lookout.agent.spool.SpoolFullException;
import java.awt.Dimension;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running agent, wired in one place: the source is a webcam-capture {@link Webcam}; each new
 * frame goes through webcam-capture's motion detector ({@link FrameDetector}, with the pipeline's
 * algorithm on the frame's small grey picture) into the {@link MotionPipeline}, which picks stills;
 * each still is encoded, put into the {@link Spool} and sent by the {@link Courier}. Quartz
 * {@link Schedules} sweep the spool, follow the arming windows and take snapshots; the
 * {@link ControlServer} answers {@code lookout-agent ctl}; the {@link Notifier} tells the house
 * (MQTT), and its commands go through the same answers. Runs until stopped or for its duration.
 */
public final class Agent {
    private static final Logger LOG = LoggerFactory.getLogger("lookout.agent");

    /**
     * What the command line says.
     *
     * @param camera       the camera's name, as stills carry it
     * @param source       the {@code --source} specification
     * @param smallWidth   the width of the small grey pictures detection looks at
     * @param receiver     where stills go, for the log
     * @param snapshotCron a Quartz cron expression for snapshots, or {@code null}
     * @param stallTimeout how long the source may give no frame before it is restarted and reported lost
     * @param duration     how long to run; zero runs until stopped
     */
    public record Settings(String camera, String source, Dimension size, double fps, int smallWidth, String receiver,
                           Path control, String snapshotCron, List<String> armedCron, ZoneId zone, Duration retryMin,
                           Duration retryMax, Duration clockWait, Duration stallTimeout, Duration duration) {
    }

    /** The parts the command line's options make. */
    public interface Parts {
        MotionPipeline pipeline(Consumer<Still> sink) throws IOException;

        StillEncoder encoder();

        Spool spool() throws IOException;

        /** @param retry schedules a task after a wait */
        Courier courier(Spool spool, Backoff backoff, BiConsumer<Duration, Runnable> retry);

        /** Who is told of events, stills, arming and the source's health (MQTT), or {@link Notifier#NONE}. */
        Notifier notifier();
    }

    private final Settings settings;
    private final Parts parts;
    private final AtomicReference<String> lastEvent = new AtomicReference<>("none");
    private final Notifier notifier;

    public Agent(Settings settings, Parts parts) {
        this.settings = settings;
        this.parts = parts;
        this.notifier = parts.notifier();
    }

    /**
     * Runs the agent until its duration is over (or until the JVM is stopped). Stopped by SIGTERM at
     * any moment, also while it starts (waiting for the clock, opening the source), it finishes what
     * it has started and exits 0, as at the end of its duration: a JVM ended by a signal would exit
     * 143 after its hooks, and systemd would count a stop as a failure.
     */
    public void run() throws IOException, SchedulerException, InterruptedException, TimeoutException {
        AtomicReference<Runnable> onStop = new AtomicReference<>(() -> { });
        Thread stop = new Thread(() -> {
            onStop.get().run();
            Runtime.getRuntime().halt(0);
        }, "stop");
        Runtime.getRuntime().addShutdownHook(stop);
        try {
            run(onStop);
        } finally {
            Runtime.getRuntime().removeShutdownHook(stop);
        }
    }

    /** Runs the agent; {@code onStop} is kept up to date with what a stop must finish. */
    private void run(AtomicReference<Runnable> onStop)
            throws IOException, SchedulerException, InterruptedException, TimeoutException {
        Arming arming = new Arming(settings.armedCron(), settings.zone(), Instant.now());
        Backoff backoff = new Backoff(settings.retryMin(), settings.retryMax(), () -> ThreadLocalRandom.current().nextDouble());
        Spool spool = parts.spool();
        Schedules schedules = new Schedules(settings.zone());
        Courier courier = parts.courier(spool, backoff, (wait, task) -> {
            try {
                schedules.after("retry", wait, task);
            } catch (SchedulerException e) {
                LOG.warn("cannot schedule the next try: {}", e.toString());
            }
        });
        ControlServer control = null;
        try {
            control = new ControlServer(settings.control(), command -> command.equals("status")
                    ? "camera: " + settings.camera() + "\nstarting: waiting for clock sync ("
                        + settings.clockWait().toSeconds() + " s at most)"
                    : ControlServer.STARTING + "waiting for clock sync; try again soon");
        } catch (IOException e) {
            LOG.warn("no control socket ({}): the agent runs without one", e.toString());
        }
        ControlServer starting = control;
        onStop.set(() -> finish(null, schedules, courier, null, starting, notifier));
        ClockSync clock = ClockSync.system();
        if (!clock.await(settings.clockWait())) {
            LOG.warn("the clock is not synchronised after {} s: stills are marked so that the receiver files them"
                    + " by arrival time", settings.clockWait().toSeconds());
        }
        StillEncoder encoder = parts.encoder();
        Consumer<Still> deliver = still -> {
            if (still.eventId() != 0) {
                notifier.observe(still.eventId(), still.changedPercent(), still.frame().captureMillis());
            }
            try {
                notifier.still(still.eventId(), spool(spool, encoder, still, clock.unsynced()));
                courier.stillSpooled();
            } catch (SpoolFullException e) {
                LOG.warn("still lost: {}", e.getMessage());
            } catch (IOException e) {
                LOG.warn("cannot spool a still: {}", e.toString());
            }
        };
        MotionPipeline pipeline = parts.pipeline(deliver);
        StreamDevice device = Sources.device(settings.source(), settings.size(), settings.fps(), settings.smallWidth(),
                settings.stallTimeout());
        // told before the camera opens: a source that fails at once is a problem too
        device.listen(new CameraListener() {
            @Override
            public void cameraLost(String why) {
                notifier.problem(true);
            }

            @Override
            public void cameraBack() {
                notifier.problem(false);
            }
        });
        Webcam webcam = Cameras.open(device);
        FrameDetector detector = new FrameDetector(webcam, pipeline.algorithm());
        Consumer<Frame> snapshot = frame -> deliver.accept(new Still(settings.camera(), frame, 0, 0, false));
        UnaryOperator<String> answer = command -> answer(command, device, spool, snapshot, arming, courier);
        if (control != null) {
            control.answerWith(answer);
        }
        ControlServer controlServer = control;
        notifier.armed(arming.armed());
        notifier.start(answer);
        plan(schedules, courier, arming, device, snapshot);
        onStop.set(() -> finish(pipeline, schedules, courier, webcam, controlServer, notifier));
        LOG.info("watching {} as '{}', sending to {}; armed: {}; control socket {}", device.getName(),
                settings.camera(), settings.receiver(), arming.describe(), settings.control());
        courier.now();
        watch(device, detector, pipeline, arming);
        onStop.set(() -> { });
        finish(pipeline, schedules, courier, webcam, controlServer, notifier);
    }

    /** The timed work: the spool swept, the arming windows followed, snapshots taken. */
    private void plan(Schedules schedules, Courier courier, Arming arming, StreamDevice device, Consumer<Frame> snapshot)
            throws SchedulerException {
        schedules.every("sweep", settings.retryMax(), courier::now);
        if (arming.hasWindows()) {
            schedules.every("arming", Duration.ofSeconds(1), () -> {
                Boolean changed = arming.update(Instant.now());
                if (changed != null) {
                    LOG.info("{} by the arming window", changed ? "armed" : "disarmed");
                    notifier.armed(changed);
                }
            });
        }
        if (settings.snapshotCron() != null) {
            schedules.cron("snapshot", settings.snapshotCron(), () -> {
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
                return "camera: " + settings.camera() + " (" + device.getName() + ", " + device.getFPS() + " fps)\n"
                        + "armed: " + arming.describe() + "\n"
                        + "source: " + device.health() + "\n"
                        + "last event: " + lastEvent.get() + "\n"
                        + "spool: " + depth + " stills waiting\n"
                        + "last delivery: " + courier.lastDelivery() + "\n"
                        + "last error: " + courier.lastProblem()
                        + (notifier.status() == null ? "" : "\nmqtt: " + notifier.status());
            }
            case "snapshot" -> {
                Frame frame = device.latestFrame();
                if (frame == null) {
                    return ControlServer.NO_FRAME + "the camera has given no picture yet (it starts, or it is lost: see status)";
                }
                snapshot.accept(frame);
                return "OK snapshot taken";
            }
            case "arm", "disarm" -> {
                arming.hold(command.equals("arm"));
                notifier.armed(arming.armed());
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

    /**
     * Takes each new frame as the camera delivers it, until the duration is over (or forever): while
     * armed, webcam-capture's detector judges it and the pipeline follows; while disarmed, the
     * pipeline pauses.
     */
    private void watch(StreamDevice device, FrameDetector detector, MotionPipeline pipeline, Arming arming)
            throws InterruptedException {
        long end = settings.duration().isZero() ? Long.MAX_VALUE : System.nanoTime() + settings.duration().toNanos();
        Frame last = null;
        int event = 0;
        boolean paused = false;
        while (System.nanoTime() < end) {
            long wait = Math.min(1000, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()));
            Frame frame = device.awaitFrame(last, Math.max(1, wait));
            if (frame == null) {
                continue;
            }
            last = frame;
            if (!arming.armed()) {
                if (!paused) {
                    pipeline.pause();
                    notifier.observe(0, 0, frame.captureMillis());
                    paused = true;
                }
                continue;
            }
            paused = false;
            pipeline.newGeneration(device.generation());
            boolean motion = detector.judge();
            Frame judged = device.servedFrame();
            if (judged != null) {
                last = judged;
                MotionPipeline.Result result = pipeline.judged(judged, motion);
                event = report(event, result);
                notifier.observe(event, result.changedPercent(), judged.captureMillis());
            }
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
                        String.format(Locale.ROOT, "%.1f", result.changedPercent()));
            }
        }
        return result.eventId();
    }

    /** Encodes and spools a still; returns the JPEG's bytes, as they are sent. */
    private static byte[] spool(Spool spool, StillEncoder encoder, Still still, boolean clockUnsynced) throws IOException {
        byte[] jpeg = encoder.encode(still, !clockUnsynced);
        spool.add(Upload.of(still.camera(), still.frame().captureMillis(), clockUnsynced, jpeg));
        return jpeg;
    }

    /**
     * Stops the schedules (waiting for a running job), closes the control socket, ends an open event,
     * sends what waits (for a few seconds at most) and closes the camera (its ffmpeg ends at once).
     */
    /** What was started; {@code pipeline} and {@code webcam} are {@code null} while the agent starts. */
    private static void finish(MotionPipeline pipeline, Schedules schedules, Courier courier, Webcam webcam,
                               ControlServer control, Notifier notifier) {
        try {
            schedules.close();
            if (control != null) {
                control.close();
            }
        } catch (IOException | SchedulerException e) {
            LOG.warn("stopping: {}", e.toString());
        }
        if (pipeline != null) {
            pipeline.finish();
        }
        notifier.close();
        try {
            courier.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (webcam != null) {
            webcam.close();
        }
    }
}
