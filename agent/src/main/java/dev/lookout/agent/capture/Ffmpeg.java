package dev.lookout.agent.capture;

import java.awt.Dimension;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ffmpeg command lines behind the {@code file:}, {@code v4l2:} and {@code url:} (RTSP) sources.
 * Each has one output: JPEGs one after another on standard output ({@code -f mjpeg pipe:1}), the
 * camera's own copied where it sends MJPEG, else its frames encoded at the frame rate asked for. The
 * small grey picture detection looks at is decoded from those JPEGs in this process, as for every
 * other source ({@link SmallDecoder}): one stream, no second pipe that a full first one could stall.
 */
final class Ffmpeg {
    private Ffmpeg() {
    }

    private static List<String> start(String logLevel) {
        return new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-nostats", "-loglevel", logLevel, "-nostdin",
                "-threads", "1"));
    }

    /** After the input options {@code command}: its JPEGs copied, or its frames encoded at {@code fps}. */
    private static List<String> output(List<String> command, boolean copy, double fps) {
        command.addAll(List.of("-map", "0:v:0"));
        command.addAll(copy ? List.of("-c:v", "copy") : List.of("-vf", "fps=" + number(fps), "-c:v", "mjpeg", "-q:v", "3"));
        command.addAll(List.of("-flush_packets", "1", "-f", "mjpeg", "pipe:1"));
        return command;
    }

    /**
     * A video file: its JPEGs copied where it holds Motion-JPEG at {@code fps} already (what {@link
     * #probe} said: {@code probed}), so that its frames are those of the same JPEGs in a folder; else
     * resampled to {@code fps} and encoded.
     */
    static List<String> file(String path, double fps, String probed) {
        List<String> command = start("error");
        command.addAll(List.of("-i", path));
        return output(command, isMjpegAt(probed, fps), fps);
    }

    /** What ffprobe says of a file's video: {@code mjpeg,5/1} (its codec and frame rate). */
    static List<String> probe(String path) {
        return List.of("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                "stream=codec_name,avg_frame_rate", "-of", "csv=p=0", path);
    }

    private static boolean isMjpegAt(String probed, double fps) {
        String[] fields = probed.strip().split("[,/]");
        if (fields.length != 3 || !fields[0].equals("mjpeg")) {
            return false;
        }
        try {
            double rate = Double.parseDouble(fields[1]) / Double.parseDouble(fields[2]);
            return Math.abs(rate - fps) < fps / 1000;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** What {@code ffmpeg -list_formats all} prints for a V4L2 device (on standard error). */
    static List<String> listFormats(String device) {
        return List.of("ffmpeg", "-hide_banner", "-nostdin", "-f", "v4l2", "-list_formats", "all", "-i", device);
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
     * A V4L2 camera asked for {@code size} at {@code fps}: its own JPEGs copied when it offers MJPEG
     * (frames beyond {@code fps} are dropped by the reader), else its raw frames reduced to {@code fps}
     * and encoded. Logged at level info, so that the stream ffmpeg opened is told ({@link #streamLine}).
     */
    static List<String> v4l2(String device, Dimension size, double fps, boolean mjpeg) {
        List<String> input = new ArrayList<>(List.of("-f", "v4l2"));
        if (mjpeg) {
            input.addAll(List.of("-input_format", "mjpeg"));
        }
        input.addAll(List.of("-video_size", size.width + "x" + size.height, "-framerate", number(fps), "-i", device));
        return camera(input, mjpeg, fps);
    }

    /** A camera read with the input options {@code input}: as {@link #v4l2}. */
    static List<String> camera(List<String> input, boolean mjpeg, double fps) {
        List<String> command = start("info");
        command.addAll(input);
        return output(command, mjpeg, fps);
    }

    /** Whether a line of ffmpeg's log describes the input's video stream ({@code Stream #0:0: Video: …}). */
    static boolean streamLine(String line) {
        return line.strip().startsWith("Stream #0:") && line.contains(": Video: ");
    }

    /**
     * What a {@link #streamLine} says the camera delivers: {@code 640x480 at 30 fps, yuyv422 (raw)}, or
     * {@code 1280x720 at 10 fps, yuvj422p (MJPEG)}.
     */
    static String delivered(String line) {
        String video = line.substring(line.indexOf(": Video: ") + ": Video: ".length());
        String codec = video.split("[ ,]", 2)[0];
        String[] fields = video.split(", (?![^(]*\\))");
        String format = fields.length > 1 ? fields[1].replaceAll("\\(.*", "").strip() : "?";
        Matcher size = Pattern.compile("(?<=, )(\\d+x\\d+)(?=[ ,]|$)").matcher(video);
        Matcher fps = Pattern.compile("([\\d.]+k?) (?:fps|tbr)").matcher(video);
        return (size.find() ? size.group(1) : "?") + " at " + (fps.find() ? fps.group(1) : "?") + " fps, " + format
                + (codec.equals("mjpeg") ? " (MJPEG)" : " (raw)");
    }

    /** A network camera that does not send MJPEG over HTTP (RTSP, H.264): decoded and encoded at {@code fps}. */
    static List<String> url(String url, double fps) {
        List<String> command = start("error");
        if (url.startsWith("rtsp://")) {
            command.addAll(List.of("-rtsp_transport", "tcp", "-timeout", "5000000"));
        } else {
            command.addAll(List.of("-rw_timeout", "5000000"));
        }
        command.addAll(List.of("-i", url));
        return output(command, false, fps);
    }

    private static String number(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
