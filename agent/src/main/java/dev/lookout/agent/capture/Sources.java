package dev.lookout.agent.capture;

import java.awt.Dimension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

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
 * Frames carry times from the start of the source at {@code fps}; a live device stamps them with
 * the clock instead. Each frame also comes as a small grey picture, {@code smallWidth} wide, for
 * detection. JPEGs of at least four times that width from {@code url:} (HTTP), {@code pipe:},
 * {@code exec:} and {@code file:} (folder) are decoded small for it in this process ({@link
 * SmallDecoder}, the picture ffmpeg would give), with no ffmpeg. Otherwise every source but
 * {@code synthetic} and {@code default} goes through one ffmpeg, which gives it: the one behind
 * {@code file:} (video), {@code v4l2:} and {@code url:}, or one that the JPEGs of {@code pipe:},
 * {@code exec:} and {@code file:} (folder) are handed to.
 */
public final class Sources {
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
                    return shrunk(new JpegDirectory(path, fps), size, fps, smallWidth);
                }
                if (!Files.isReadable(path)) {
                    throw new IOException("cannot read " + path);
                }
                return ProcessFrames.withSmall(socket -> Ffmpeg.file(rest, fps, small(smallWidth, size, socket)), fps);
            }
            case "v4l2" -> {
                boolean mjpeg = offersMjpeg(rest);
                return ProcessFrames.withSmall(socket -> Ffmpeg.v4l2(rest, size, fps, mjpeg, small(smallWidth, size, socket)),
                        fps);
            }
            case "url" -> {
                int lowres = small(smallWidth, size, null).lowres();
                if ((rest.startsWith("http://") || rest.startsWith("https://")) && SmallJpeg.supports(lowres)) {
                    return new SmallFrames(new HttpCamera(rest, fps), new SmallDecoder(smallWidth, lowres));
                }
                return ProcessFrames.withSmall(socket -> Ffmpeg.url(rest, fps, small(smallWidth, size, socket)), fps);
            }
            case "pipe" -> {
                return shrunk(new MjpegStream(Files.newInputStream(Path.of(rest)), fps), size, fps, smallWidth);
            }
            case "exec" -> {
                return shrunk(ProcessFrames.start(List.of("sh", "-c", rest), fps), size, fps, smallWidth);
            }
            case "default" -> {
                return new BuiltinCamera(rest, size, fps);
            }
            default -> throw new IllegalArgumentException("unknown source '" + spec
                    + "' (known: synthetic, file:PATH, v4l2:DEVICE, url:URL, pipe:PATH, exec:COMMAND, default[:NAME])");
        }
    }

    /**
     * The JPEGs of {@code jpegs}, each with a small grey picture: decoded here where the frames are at
     * least four times {@code smallWidth} wide, else by an ffmpeg they are handed to.
     */
    private static FrameStream shrunk(FrameStream jpegs, Dimension size, double fps, int smallWidth) throws IOException {
        int lowres = small(smallWidth, size, null).lowres();
        if (SmallJpeg.supports(lowres)) {
            return new SmallFrames(jpegs, new SmallDecoder(smallWidth, lowres));
        }
        try {
            return ProcessFrames.fed(jpegs, socket -> Ffmpeg.jpegs(small(smallWidth, size, socket)), fps);
        } catch (IOException e) {
            jpegs.close();
            throw e;
        }
    }

    private static Ffmpeg.Small small(int width, Dimension size, Path socket) {
        return new Ffmpeg.Small(width, size.width, socket);
    }

    /** Whether the camera offers MJPEG, asked of ffmpeg. */
    private static boolean offersMjpeg(String device) throws IOException {
        return Ffmpeg.offersMjpeg(formatListing(device));
    }

    /** What ffmpeg lists for a V4L2 device. */
    private static String formatListing(String device) throws IOException {
        Process probe = new ProcessBuilder(Ffmpeg.listFormats(device)).redirectErrorStream(true).start();
        String listing = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (listing.contains("No such file or directory") || listing.contains("Permission denied")) {
            throw new IOException("cannot open " + device + ": " + listing.strip().lines().reduce((a, b) -> b).orElse(""));
        }
        return listing;
    }

    /**
     * The V4L2 devices under {@code devDir} ({@code /dev}), each with the formats ffmpeg lists for it,
     * as lines to show a user. Devices without capture formats (metadata nodes) are left out.
     */
    public static List<String> v4l2Devices(Path devDir) throws IOException {
        List<String> lines = new java.util.ArrayList<>();
        List<Path> devices;
        try (var listing = Files.list(devDir)) {
            devices = listing.filter(p -> p.getFileName().toString().matches("video\\d+")).sorted().toList();
        }
        try {
            for (com.github.sarxos.webcam.WebcamDevice device : BuiltinCamera.devices()) {
                lines.add("default:" + device.getName() + "  (webcam-capture's built-in driver)");
            }
        } catch (IOException e) {
            lines.add("# default: " + e.getMessage());
        }
        for (Path device : devices) {
            List<String> formats;
            try {
                formats = Ffmpeg.formats(formatListing(device.toString()));
            } catch (IOException e) {
                lines.add("v4l2:" + device + "  (" + e.getMessage() + ")");
                continue;
            }
            if (!formats.isEmpty()) {
                lines.add("v4l2:" + device);
                formats.forEach(format -> lines.add("    " + format));
            }
        }
        return lines;
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
     * and loop; live sources are read as fast as they deliver and reopened when they fail.
     */
    public static StreamDevice device(String spec, Dimension size, double fps, int smallWidth) {
        boolean paced = spec.equals("synthetic") || spec.startsWith("file:");
        return new StreamDevice(shown(spec), size, fps, paced, () -> {
            try {
                return open(spec, size, fps, smallWidth);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
