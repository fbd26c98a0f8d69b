package dev.lookout.agent.capture;

import java.awt.Dimension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code --source} specifications:
 * <ul>
 *   <li>{@code synthetic} — the generated demo scene;</li>
 *   <li>{@code file:PATH} — a folder of JPEGs in name order, or a video file (through ffmpeg);</li>
 *   <li>{@code v4l2:/dev/videoN} — a V4L2 camera through ffmpeg, its own JPEGs when it offers MJPEG;</li>
 *   <li>{@code url:URL} — a network camera: MJPEG over HTTP(S) read here ({@link HttpCamera}) when its
 *       JPEGs are decoded small here (below), else and for RTSP through ffmpeg;</li>
 *   <li>{@code pipe:PATH} — JPEGs one after another from a named pipe;</li>
 *   <li>{@code exec:COMMAND} — JPEGs one after another from a command's standard output, e.g.
 *       {@code rpicam-vid -t 0 --codec mjpeg -o -} for a Pi camera module;</li>
 *   <li>{@code default[:NAME]} — webcam-capture's built-in native driver, where its natives exist.</li>
 * </ul>
 * Every source but {@code synthetic} and {@code default} is one stream of JPEGs — the camera's own
 * where it sends JPEG, else encoded by one ffmpeg, which has that one output — and each JPEG is
 * decoded small in this process for detection, the same way whatever the source ({@link
 * SmallDecoder}): {@code smallWidth} wide and grey, decoded at the scale the frame's own width allows. Frames carry times from the start of the source
 * at {@code fps}; a live device stamps them with the clock instead. A camera is asked for {@code
 * size} at {@code fps}; what it delivers is logged, and frames beyond {@code fps} are dropped.
 */
public final class Sources {
    private static final Logger LOG = LoggerFactory.getLogger(Sources.class);
    /** The password of a URL with credentials: {@code ://user:password@}. */
    private static final Pattern PASSWORD = Pattern.compile("(?<=://)([^/@\\s:]*):[^/@\\s]*@");

    private Sources() {
    }

    /** A stream of the source's frames from its start. */
    public static FrameStream open(String spec, Dimension size, double fps, int smallWidth) throws IOException {
        int colon = spec.indexOf(':');
        String kind = colon < 0 ? spec : spec.substring(0, colon);
        String rest = colon < 0 ? "" : spec.substring(colon + 1);
        switch (kind) {
            case "synthetic" -> {
                return SyntheticScene.demo(size.width, size.height, fps, 1);
            }
            case "file" -> {
                Path path = Path.of(rest);
                if (Files.isDirectory(path)) {
                    return small(new JpegDirectory(path, fps), smallWidth);
                }
                if (!Files.isReadable(path)) {
                    throw new IOException("cannot read " + path);
                }
                return small(ProcessFrames.start(Ffmpeg.file(rest, fps, ProcessFrames.output(Ffmpeg.probe(rest))), fps),
                        smallWidth);
            }
            case "v4l2" -> {
                return camera(rest, Ffmpeg.v4l2(rest, size, fps, offersMjpeg(rest)), size, fps, smallWidth);
            }
            case "url" -> {
                if (rest.startsWith("http://") || rest.startsWith("https://")) {
                    return small(new HttpCamera(rest, fps), smallWidth);
                }
                return small(ProcessFrames.start(Ffmpeg.url(rest, fps), fps), smallWidth);
            }
            case "pipe" -> {
                return small(new MjpegStream(Files.newInputStream(Path.of(rest)), fps), smallWidth);
            }
            case "exec" -> {
                return small(ProcessFrames.start(List.of("sh", "-c", rest), fps), smallWidth);
            }
            case "default" -> {
                return new BuiltinCamera(rest, size, fps);
            }
            default -> throw new IllegalArgumentException("unknown source '" + spec
                    + "' (known: synthetic, file:PATH, v4l2:DEVICE, url:URL, pipe:PATH, exec:COMMAND, default[:NAME])");
        }
    }

    /** The JPEGs of {@code jpegs}, each with its small grey picture. */
    private static FrameStream small(FrameStream jpegs, int smallWidth) {
        return new SmallFrames(jpegs, new SmallDecoder(smallWidth));
    }

    /**
     * A camera read by the ffmpeg command {@code command} ({@link Ffmpeg#camera}): what it delivers is
     * logged once (at info level, as ffmpeg opened it), and frames beyond {@code fps} are dropped
     * before they are decoded.
     */
    static FrameStream camera(String name, List<String> command, Dimension size, double fps, int smallWidth)
            throws IOException {
        AtomicBoolean told = new AtomicBoolean();
        MjpegStream jpegs = ProcessFrames.start(command, fps, line -> {
            if (Ffmpeg.streamLine(line) && told.compareAndSet(false, true)) {
                LOG.info("camera {} asked for {}x{} at {} fps, delivers {}", shown(name), size.width, size.height,
                        fps, Ffmpeg.delivered(line));
            }
        });
        return small(new FrameRate(jpegs, fps), smallWidth);
    }

    /** Whether the camera offers MJPEG, asked of ffmpeg. */
    private static boolean offersMjpeg(String device) throws IOException {
        return Ffmpeg.offersMjpeg(formatListing(device));
    }

    /** What ffmpeg lists for a V4L2 device. */
    private static String formatListing(String device) throws IOException {
        String listing = ProcessFrames.output(Ffmpeg.listFormats(device));
        if (listing.contains("No such file or directory") || listing.contains("Permission denied")) {
            throw new IOException("cannot open " + device + ": " + listing.strip().lines().reduce((a, b) -> b).orElse(""));
        }
        return listing;
    }

    /**
     * {@code text} as it may be shown (in the journal, in {@code ctl status}): the password of every
     * URL in it ({@code url:http://user:password@camera/…}, which also ends up in error messages) as
     * {@code ***}.
     */
    public static String shown(String text) {
        return PASSWORD.matcher(text).replaceAll("$1:***@");
    }

    /**
     * The source as a webcam-capture device. Generated and file sources are played at {@code fps}
     * and loop; live sources are read as fast as they deliver and reopened when they fail or give no
     * frame for {@code stall}.
     */
    public static StreamDevice device(String spec, Dimension size, double fps, int smallWidth, Duration stall) {
        boolean paced = spec.equals("synthetic") || spec.startsWith("file:");
        return new StreamDevice(shown(spec), size, fps, paced, stall, () -> {
            try {
                return open(spec, size, fps, smallWidth);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
