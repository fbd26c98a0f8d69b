package dev.lookout.agent.cli;

import dev.lookout.agent.capture.Frame;
import dev.lookout.protocol.CameraName;
import dev.lookout.agent.capture.FrameStream;
import dev.lookout.agent.capture.Sources;
import dev.lookout.agent.detect.DetectionSettings;
import dev.lookout.agent.detect.EventTracker;
import dev.lookout.agent.detect.LumaMotionAlgorithm;
import dev.lookout.agent.detect.Mask;
import dev.lookout.agent.detect.MotionPipeline;
import dev.lookout.agent.detect.Still;
import dev.lookout.agent.detect.StillPolicy;
import dev.lookout.agent.encode.StillEncoder;
import java.awt.Dimension;
import java.awt.Rectangle;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.time.ZoneId;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "detect", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs detection over a source as fast as it can, for tuning thresholds on a recorded clip.",
            "With --csv, prints one row per frame: index,capture_ms,changed_pct,motion,event_id",
            "(motion is 1 when change was detected in that frame; event_id is empty outside events).",
            "A summary goes to standard error."})
final class DetectCommand implements Callable<Integer> {
    @Option(names = "--source", required = true, paramLabel = "SPEC",
            description = "synthetic, file:PATH (folder of JPEGs or video), v4l2:DEVICE, url:URL, pipe:PATH, exec:COMMAND or default[:NAME].")
    String source;

    @Option(names = "--fps", defaultValue = "5", description = "Frame rate of file sources (default: ${DEFAULT-VALUE}).")
    double fps;

    @Option(names = "--size", defaultValue = "640x480", paramLabel = "WxH",
            description = "Frame size of the synthetic source (default: ${DEFAULT-VALUE}).")
    String size;

    @Option(names = "--csv", description = "Print one CSV row per frame on standard output.")
    boolean csv;

    @Option(names = "--pixel-threshold", defaultValue = "10", paramLabel = "LEVELS",
            description = "Least grey-level difference of a changed pixel, 1-255 (default: ${DEFAULT-VALUE});"
                    + " raised automatically to noise-factor x measured noise.")
    int pixelThreshold;

    @Option(names = "--noise-factor", defaultValue = "4", paramLabel = "X",
            description = "Threshold in multiples of the measured sensor noise (default: ${DEFAULT-VALUE}).")
    double noiseFactor;

    @Option(names = "--area-threshold", defaultValue = "0.5", paramLabel = "PERCENT",
            description = "Changed share of the watched area that is motion (default: ${DEFAULT-VALUE}).")
    double areaPercent;

    @Option(names = "--max-area", defaultValue = "50", paramLabel = "PERCENT",
            description = "A change over this share re-baselines instead (light switch; default: ${DEFAULT-VALUE}).")
    double maxAreaPercent;

    @Option(names = "--detect-width", defaultValue = "160", paramLabel = "PIXELS",
            description = "Width frames are reduced to for detection (default: ${DEFAULT-VALUE}).")
    int planeWidth;

    @Option(names = "--min-frames", defaultValue = "2", paramLabel = "N",
            description = "Consecutive frames with motion that start an event (default: ${DEFAULT-VALUE}).")
    int minFrames;

    @Option(names = "--event-gap", defaultValue = "3000", paramLabel = "MS",
            description = "Milliseconds without motion that end an event (default: ${DEFAULT-VALUE}).")
    long eventGapMillis;

    @Option(names = "--mask-rect", paramLabel = "X,Y,W,H",
            description = "A rectangle to ignore, in frame pixels; repeatable.")
    List<String> maskRects = new ArrayList<>();

    @Option(names = "--mask", paramLabel = "FILE.pgm", description = "A PGM mask: black is ignored.")
    Path maskFile;

    @Option(names = "--still-policy", defaultValue = "EVERY", paramLabel = "first|best|every",
            converter = PolicyModes.class,
            description = "Stills per event: the first, the one with the largest change (sent when the event ends),"
                    + " or one every --still-every (default: every).")
    StillPolicy.Mode stillMode;

    @Option(names = "--still-every", defaultValue = "2000", paramLabel = "MS",
            description = "With every: least milliseconds between two stills (default: ${DEFAULT-VALUE}).")
    long stillEveryMillis;

    @Option(names = "--max-stills", defaultValue = "5", paramLabel = "N",
            description = "At most this many stills per event (default: ${DEFAULT-VALUE}).")
    int maxStills;

    @Option(names = "--pre-capture", description = "Also send the frame before the event started.")
    boolean preCapture;

    @Option(names = "--camera", defaultValue = "camera", paramLabel = "NAME",
            description = "Camera name, as stills carry it (default: ${DEFAULT-VALUE}).")
    String camera;

    @Option(names = "--overlay", description = "Burn the camera name and capture time into the stills"
            + " (they are then encoded again, not the camera's own JPEG).")
    boolean overlay;

    @Option(names = "--stills", paramLabel = "DIR",
            description = "Write the stills that would be sent into DIR (event-<id>-<frame>.jpg), to check the policy.")
    Path stillsDir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (!CameraName.isValid(camera)) {
            throw new IllegalArgumentException("--camera must be 1-64 of A-Z a-z 0-9 . _ - (not . or ..), got '" + camera + "'");
        }
        DetectionSettings settings = new DetectionSettings(planeWidth, pixelThreshold, noiseFactor, areaPercent,
                maxAreaPercent, DetectionSettings.DEFAULTS.backgroundRate());
        LumaMotionAlgorithm algorithm = new LumaMotionAlgorithm(settings, maskFile == null ? Mask.NONE : Mask.pgm(maskFile));
        algorithm.setDoNotEngageZones(rectangles());
        EventTracker events = new EventTracker(minFrames, eventGapMillis);
        List<Still> stills = new ArrayList<>();
        MotionPipeline pipeline = new MotionPipeline(camera, algorithm, events,
                new StillPolicy(stillMode, stillEveryMillis, maxStills, preCapture), stills::add);
        PrintWriter out = spec.commandLine().getOut();
        int frames = 0;
        int motionFrames = 0;
        long nanos = 0;
        try (FrameStream stream = Sources.open(source, dimension(), fps)) {
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
            writeStills(stills);
        }
        spec.commandLine().getErr().printf(Locale.ROOT,
                "%d frames, %d with motion, %d events, %d stills; detection %.3f ms/frame; noise sigma %.1f%n",
                frames, motionFrames, events.events(), stills.size(), frames == 0 ? 0 : nanos / 1e6 / frames,
                algorithm.noise());
        return ExitStatus.OK.code();
    }

    private void writeStills(List<Still> stills) throws IOException {
        Files.createDirectories(stillsDir);
        StillEncoder encoder = new StillEncoder(overlay, ZoneId.systemDefault());
        for (Still still : stills) {
            Path file = stillsDir.resolve(String.format(Locale.ROOT, "event-%d-%05d%s.jpg", still.eventId(),
                    still.frame().index(), still.preCapture() ? "-pre" : ""));
            Files.write(file, encoder.encode(still));
        }
    }

    /** first, best, every — in any case. */
    static final class PolicyModes implements picocli.CommandLine.ITypeConverter<StillPolicy.Mode> {
        @Override
        public StillPolicy.Mode convert(String value) {
            try {
                return StillPolicy.Mode.valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not one of first, best, every");
            }
        }
    }

    private Dimension dimension() {
        String[] parts = size.toLowerCase(Locale.ROOT).split("x");
        if (parts.length != 2) {
            throw new IllegalArgumentException("--size takes WIDTHxHEIGHT, e.g. 640x480");
        }
        return new Dimension(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
    }

    private List<Rectangle> rectangles() {
        List<Rectangle> zones = new ArrayList<>();
        for (String text : maskRects) {
            String[] p = text.split(",");
            if (p.length != 4) {
                throw new IllegalArgumentException("--mask-rect takes X,Y,W,H, got " + text);
            }
            zones.add(new Rectangle(Integer.parseInt(p[0].strip()), Integer.parseInt(p[1].strip()),
                    Integer.parseInt(p[2].strip()), Integer.parseInt(p[3].strip())));
        }
        return zones;
    }
}
