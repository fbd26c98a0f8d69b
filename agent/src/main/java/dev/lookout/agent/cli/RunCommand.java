package dev.lookout.agent.cli;

import dev.lookout.agent.detect.MotionPipeline;
import dev.lookout.agent.detect.Still;
import dev.lookout.agent.encode.StillEncoder;
import dev.lookout.agent.run.Agent;
import dev.lookout.agent.schedule.Schedules;
import dev.lookout.agent.send.Backoff;
import dev.lookout.agent.send.Courier;
import dev.lookout.agent.send.Sender;
import dev.lookout.agent.spool.Spool;
import dev.lookout.exit.Sysexit;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Watches the source and delivers the stills of every event: each still goes into the spool",
            "and is sent at once; what cannot be sent stays in the spool and goes with the next still or 'flush'.",
            "Runs until stopped (SIGTERM) or for --duration seconds. Progress goes to standard error."})
final class RunCommand implements java.util.concurrent.Callable<Integer> {
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

    @Option(names = "--stall-timeout", defaultValue = "10", paramLabel = "SECONDS",
            description = "A source that gives no frame for this long is restarted and reported lost ('ctl status');"
                    + " no snapshot is taken from a frame older than this (default: ${DEFAULT-VALUE}).")
    long stallTimeoutSeconds;

    @Option(names = "--duration", defaultValue = "0", paramLabel = "SECONDS",
            description = "Stop after this long; 0 runs until stopped (default: ${DEFAULT-VALUE}).")
    long durationSeconds;

    @Override
    public Integer call() throws Exception {
        String name = camera.name();
        if (snapshotCron != null) {
            Schedules.checkCron(snapshotCron);
        }
        if (retryMinSeconds < 1 || retryMaxSeconds < retryMinSeconds) {
            throw new IllegalArgumentException("--retry-min must be at least 1 and at most --retry-max");
        }
        if (stallTimeoutSeconds < 1) {
            throw new IllegalArgumentException("--stall-timeout must be at least 1");
        }
        Sender sender = delivery.sender();
        Agent.Settings settings = new Agent.Settings(name, detection.source(), detection.dimension(), detection.fps(),
                detection.planeWidth, delivery.to, controlPath, snapshotCron, armedCron,
                timeZone != null ? timeZone : ZoneId.systemDefault(), Duration.ofSeconds(retryMinSeconds),
                Duration.ofSeconds(retryMaxSeconds), Duration.ofSeconds(clockWaitSeconds), Duration.ofSeconds(stallTimeoutSeconds),
                Duration.ofSeconds(durationSeconds));
        new Agent(settings, new Agent.Parts() {
            @Override
            public MotionPipeline pipeline(Consumer<Still> sink) throws IOException {
                return detection.pipeline(name, sink);
            }

            @Override
            public StillEncoder encoder() {
                return detection.encoder();
            }

            @Override
            public Spool spool() throws IOException {
                return spooling.spool();
            }

            @Override
            public Courier courier(Spool spool, Backoff backoff, BiConsumer<Duration, Runnable> retry) {
                return spooling.courier(spool, name, sender, backoff, retry);
            }
        }).run();
        return Sysexit.OK.code();
    }
}
