package dev.lookout.agent.cli;

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
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** The source and everything about detection and stills: the options {@code detect} and {@code run} share. */
final class DetectionOptions {
    @Option(names = "--source", required = true, paramLabel = "SPEC",
            description = "synthetic, file:PATH (folder of JPEGs or video), v4l2:DEVICE, url:URL, pipe:PATH, exec:COMMAND or default[:NAME].")
    String source;

    @Option(names = "--fps", defaultValue = "5", description = "Frames a second: what a camera (v4l2:) is asked for, a faster one reduced to it;"
            + " video files and RTSP resampled to it; JPEG folders and the synthetic scene played at it"
            + " (default: ${DEFAULT-VALUE}).")
    double fps;

    @Option(names = "--size", defaultValue = "640x480", paramLabel = "WxH",
            description = "Frame size: what a camera (v4l2:) is asked for, what the synthetic scene makes, and"
            + " the width that picks how JPEGs are decoded small (default: ${DEFAULT-VALUE}).")
    String size;

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

    @Option(names = "--absorb-after", defaultValue = "10", paramLabel = "SECONDS",
            description = "A change that has stopped moving (a parcel left, a car parked) joins the background after"
                    + " this long, so its event ends; 0: never (default: ${DEFAULT-VALUE}).")
    long absorbAfterSeconds;

    @Option(names = "--smart-mask", description = "Learn the areas that change most of the time (leaves, water)"
            + " and ignore them until they calm down.")
    boolean smartMask;

    @Option(names = "--mask-rect", paramLabel = "X,Y,W,H",
            description = "A rectangle to ignore, in pixels of a --size frame; repeatable.")
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

    @Option(names = "--overlay", description = "Burn the camera name and capture time into the stills"
            + " (they are then encoded again, not the camera's own JPEG).")
    boolean overlay;

    /** The algorithm and events of the last {@link #pipeline}, for summaries. */
    LumaMotionAlgorithm algorithm;
    EventTracker events;

    /** The frame size the source is asked for. */
    Dimension dimension() {
        String[] parts = size.toLowerCase(Locale.ROOT).split("x");
        if (parts.length != 2) {
            throw new IllegalArgumentException("--size takes WIDTHxHEIGHT, e.g. 640x480");
        }
        return new Dimension(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
    }

    /** Detection as configured, feeding the stills it picks to {@code sink}. */
    MotionPipeline pipeline(String camera, Consumer<Still> sink) throws IOException {
        DetectionSettings settings = new DetectionSettings(planeWidth, pixelThreshold, noiseFactor, areaPercent,
                maxAreaPercent, DetectionSettings.DEFAULTS.backgroundRate(), absorbAfterSeconds * 1000, smartMask);
        algorithm = new LumaMotionAlgorithm(settings, maskFile == null ? Mask.NONE : Mask.pgm(maskFile));
        algorithm.setDoNotEngageZones(rectangles(), dimension().width);
        events = new EventTracker(minFrames, eventGapMillis);
        return new MotionPipeline(camera, algorithm, events, new StillPolicy(stillMode, stillEveryMillis, maxStills,
                preCapture), sink);
    }

    StillEncoder encoder() {
        return new StillEncoder(overlay, ZoneId.systemDefault());
    }

    String source() {
        return source;
    }

    double fps() {
        return fps;
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

    /** first, best, every — in any case. */
    static final class PolicyModes implements ITypeConverter<StillPolicy.Mode> {
        @Override
        public StillPolicy.Mode convert(String value) {
            try {
                return StillPolicy.Mode.valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + value + "' is not one of first, best, every");
            }
        }
    }
}
