package dev.lookout.agent.capture;

import java.awt.Dimension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The ffmpeg command lines behind the {@code file:}, {@code v4l2:} and {@code url:} sources. Each
 * writes JPEGs one after another to standard output ({@code -f mjpeg pipe:1}); where the input is
 * already JPEG it is copied, not decoded and encoded again. Each also writes a small grey picture of
 * every frame for detection ({@link Small}); JPEG input is decoded for it at a reduced scale
 * ({@code -lowres}), in one thread.
 */
final class Ffmpeg {
    private Ffmpeg() {
    }

    /**
     * The second output: each frame {@code width} pixels wide, grey, as YUV4MPEG2 to the Unix socket
     * {@code socket}, one picture per JPEG of the first output, in the same order.
     *
     * @param frameWidth the width the camera is expected to deliver; JPEGs are decoded at the smallest
     *                   scale (1/2, 1/4, 1/8) still at least {@code width} wide at that width
     */
    record Small(int width, int frameWidth, Path socket) {
        /** The {@code -lowres} level for JPEG input. */
        int lowres() {
            int level = 0;
            while (level < 3 && frameWidth >> (level + 1) >= width) {
                level++;
            }
            return level;
        }
    }

    private static List<String> start() {
        return new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-threads", "1"));
    }

    /** Decoder options for JPEG input: decoded small, as only the small picture needs its pixels. */
    private static void jpegInput(List<String> command, Small small) {
        command.addAll(List.of("-lowres", Integer.toString(small.lowres())));
    }

    /** The JPEG output and, after the filters {@code filters} (ending in a comma, or empty), the small one. */
    private static List<String> outputs(List<String> command, List<String> jpeg, String filters, Small small) {
        command.addAll(List.of("-map", "0:v:0"));
        command.addAll(jpeg);
        command.addAll(List.of("-flush_packets", "1", "-f", "mjpeg", "pipe:1"));
        command.addAll(List.of("-map", "0:v:0", "-vf", filters + "scale=" + small.width() + ":-2:flags=area,format=gray",
                "-fps_mode", "passthrough", "-flush_packets", "1", "-f", "yuv4mpegpipe", "unix:" + small.socket()));
        return command;
    }

    private static List<String> encodeAt(List<String> command, double fps, Small small) {
        String filter = "fps=" + number(fps);
        return outputs(command, List.of("-vf", filter, "-c:v", "mjpeg", "-q:v", "3"), filter + ",", small);
    }

    /** A video file, resampled to {@code fps}. */
    static List<String> file(String path, double fps, Small small) {
        List<String> command = start();
        command.addAll(List.of("-i", path));
        return encodeAt(command, fps, small);
    }

    /** JPEGs on standard input as a multipart stream (each part with its length), copied. */
    static List<String> jpegs(Small small) {
        List<String> command = start();
        command.addAll(List.of("-f", "mpjpeg"));
        jpegInput(command, small);
        command.addAll(List.of("-i", "pipe:0"));
        return outputs(command, List.of("-c:v", "copy"), "", small);
    }

    /** What {@code ffmpeg -list_formats all} prints for a V4L2 device (on standard error). */
    static List<String> listFormats(String device) {
        return List.of("ffmpeg", "-hide_banner", "-nostdin", "-f", "v4l2", "-list_formats", "all", "-i", device);
    }

    /**
     * The formats of a {@link #listFormats} listing, one per line: {@code mjpeg (compressed): 640x480 1280x720}.
     */
    static List<String> formats(String listing) {
        List<String> formats = new ArrayList<>();
        for (String line : listing.split("\n")) {
            String[] fields = line.split("\\s*:\\s+");
            boolean raw = line.contains("] Raw ");
            if ((raw || line.contains("] Compressed")) && fields.length >= 4) {
                formats.add(fields[1].strip() + (raw ? " (raw): " : " (compressed): ") + fields[3].strip());
            }
        }
        return formats;
    }

    /** Whether a {@link #listFormats} listing offers Motion-JPEG. */
    static boolean offersMjpeg(String listing) {
        for (String line : listing.split("\n")) {
            if (line.contains("Compressed") && line.toLowerCase(Locale.ROOT).contains("mjpeg")) {
                return true;
            }
        }
        return false;
    }

    /**
     * A V4L2 camera: its own JPEGs copied when it offers MJPEG, else its raw frames encoded.
     */
    static List<String> v4l2(String device, Dimension size, double fps, boolean mjpeg, Small small) {
        List<String> command = start();
        command.addAll(List.of("-f", "v4l2"));
        if (mjpeg) {
            command.addAll(List.of("-input_format", "mjpeg"));
            jpegInput(command, small);
        }
        command.addAll(List.of("-video_size", size.width + "x" + size.height, "-framerate", number(fps), "-i", device));
        return outputs(command, mjpeg ? List.of("-c:v", "copy") : List.of("-c:v", "mjpeg", "-q:v", "3"), "", small);
    }

    /**
     * A network camera: MJPEG over HTTP is copied; anything else (RTSP, H.264) is decoded and
     * encoded at {@code fps}. I/O waits at most 5 s, so a dead camera ends the process.
     */
    static List<String> url(String url, double fps, Small small) {
        List<String> command = start();
        boolean http = url.startsWith("http://") || url.startsWith("https://");
        if (http) {
            command.addAll(List.of("-rw_timeout", "5000000"));
            jpegInput(command, small);
        } else if (url.startsWith("rtsp://")) {
            command.addAll(List.of("-rtsp_transport", "tcp", "-timeout", "5000000"));
        }
        command.addAll(List.of("-i", url));
        if (http) {
            return outputs(command, List.of("-c:v", "copy"), "", small);
        }
        return encodeAt(command, fps, small);
    }

    private static String number(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
