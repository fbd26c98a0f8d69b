package dev.lookout.agent.capture;

import java.awt.Dimension;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The ffmpeg command lines behind the {@code file:}, {@code v4l2:} and {@code url:} sources. Each
 * writes JPEGs one after another to standard output ({@code -f mjpeg pipe:1}); where the input is
 * already JPEG it is copied, not decoded and encoded again.
 */
final class Ffmpeg {
    private Ffmpeg() {
    }

    private static List<String> start() {
        return new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin"));
    }

    private static List<String> encodeAt(List<String> command, double fps) {
        command.addAll(List.of("-vf", "fps=" + number(fps), "-c:v", "mjpeg", "-q:v", "3", "-f", "mjpeg", "pipe:1"));
        return command;
    }

    /** A video file, resampled to {@code fps}. */
    static List<String> file(String path, double fps) {
        List<String> command = start();
        command.addAll(List.of("-i", path));
        return encodeAt(command, fps);
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
    static List<String> v4l2(String device, Dimension size, double fps, boolean mjpeg) {
        List<String> command = start();
        command.addAll(List.of("-f", "v4l2"));
        if (mjpeg) {
            command.addAll(List.of("-input_format", "mjpeg"));
        }
        command.addAll(List.of("-video_size", size.width + "x" + size.height, "-framerate", number(fps), "-i", device));
        if (mjpeg) {
            command.addAll(List.of("-c:v", "copy", "-f", "mjpeg", "pipe:1"));
            return command;
        }
        command.addAll(List.of("-c:v", "mjpeg", "-q:v", "3", "-f", "mjpeg", "pipe:1"));
        return command;
    }

    /**
     * A network camera: MJPEG over HTTP is copied; anything else (RTSP, H.264) is decoded and
     * encoded at {@code fps}. I/O waits at most 5 s, so a dead camera ends the process.
     */
    static List<String> url(String url, double fps) {
        List<String> command = start();
        boolean http = url.startsWith("http://") || url.startsWith("https://");
        if (http) {
            command.addAll(List.of("-rw_timeout", "5000000"));
        } else if (url.startsWith("rtsp://")) {
            command.addAll(List.of("-rtsp_transport", "tcp", "-timeout", "5000000"));
        }
        command.addAll(List.of("-i", url));
        if (http) {
            command.addAll(List.of("-c:v", "copy", "-f", "mjpeg", "pipe:1"));
            return command;
        }
        return encodeAt(command, fps);
    }

    private static String number(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
