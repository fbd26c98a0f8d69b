package dev.lookout.agent.capture;

import dev.lookout.exit.Failure;
import dev.lookout.exit.Sysexit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code lookout-agent devices} shows: per V4L2 camera, the formats ffmpeg can capture from it
 * (not those it lists as {@code Unsupported}), each with its sizes and, where {@code v4l2-ctl}
 * (Debian's {@code v4l-utils}) is installed, its frame rates — a short table of {@code --source},
 * {@code --size} and {@code --fps} values. Nodes without such a format (metadata nodes) are left out.
 */
public final class Devices {
    /** A format line of {@code ffmpeg -list_formats all}: kind, ffmpeg's name, description, sizes. */
    private static final Pattern FFMPEG_FORMAT = Pattern.compile(
            "\\] (Raw|Compressed)\\s*:\\s+(\\S+)\\s+:\\s+(.+?)\\s+:\\s+(.*)$");
    private static final Pattern V4L2_FORMAT = Pattern.compile("^\\s*\\[\\d+\\]: '[^']*' \\((.+?)(, compressed)?\\)\\s*$");
    private static final Pattern V4L2_SIZE = Pattern.compile("^\\s*Size: \\S+ (.+?)\\s*$");
    private static final Pattern V4L2_RATE = Pattern.compile("^\\s*Interval: .*\\(([\\d.]+(?:-[\\d.]+)?) fps\\)\\s*$");

    private Devices() {
    }

    /** One format a camera offers: ffmpeg's name for it, whether it is MJPEG, and its sizes (with rates, where known). */
    record Format(String name, boolean compressed, List<String> sizes) {
        String row() {
            return String.format("  %-10s %-7s %s", name, compressed ? "MJPEG" : "raw", String.join(", ", sizes));
        }
    }

    /** The table for the cameras under {@code devDir} ({@code /dev}); an unreadable one fails with {@link Sysexit#NOPERM}. */
    public static List<String> table(Path devDir) throws IOException, Failure {
        List<Path> devices;
        try (var listing = Files.list(devDir)) {
            devices = listing.filter(p -> p.getFileName().toString().matches("video\\d+")).sorted().toList();
        }
        List<String> lines = new ArrayList<>();
        for (Path device : devices) {
            String listing = ProcessFrames.output(Ffmpeg.listFormats(device.toString()));
            if (listing.contains("Permission denied")) {
                throw new Failure(Sysexit.NOPERM, "cannot open " + device + ": permission denied. Add this user to group"
                        + " 'video' (sudo usermod -aG video $USER), then log in again.");
            }
            List<Format> formats = formats(listing, v4l2Ctl(device));
            if (!formats.isEmpty()) {
                lines.add("v4l2:" + device);
                formats.forEach(format -> lines.add(format.row()));
            }
        }
        return lines;
    }

    /**
     * The formats ffmpeg can capture in its {@code -list_formats all} listing, with the sizes and
     * rates {@code v4l2-ctl --list-formats-ext} gives for the same format (matched by description);
     * ffmpeg's sizes where {@code v4l2} is empty or lacks it.
     */
    static List<Format> formats(String ffmpeg, String v4l2) {
        Map<String, List<String>> detailed = v4l2Sizes(v4l2);
        List<Format> formats = new ArrayList<>();
        for (String line : ffmpeg.split("\n")) {
            Matcher format = FFMPEG_FORMAT.matcher(line);
            if (format.find() && !format.group(2).equals("Unsupported")) {
                List<String> sizes = detailed.getOrDefault(format.group(3), List.of(format.group(4).strip().split("\\s+")));
                formats.add(new Format(format.group(2), format.group(1).equals("Compressed"), sizes));
            }
        }
        return formats;
    }

    /** Per format description, its sizes, each with its frame rates: {@code 640x480 at 30/15 fps}. */
    private static Map<String, List<String>> v4l2Sizes(String listing) {
        Map<String, List<String>> sizes = new LinkedHashMap<>();
        List<String> current = null;
        List<String> rates = new ArrayList<>();
        for (String line : listing.split("\n")) {
            Matcher format = V4L2_FORMAT.matcher(line);
            Matcher size = V4L2_SIZE.matcher(line);
            Matcher rate = V4L2_RATE.matcher(line);
            if (format.find()) {
                addSize(current, rates);
                current = new ArrayList<>();
                sizes.put(format.group(1), current);
            } else if (size.find() && current != null) {
                addSize(current, rates);
                current.add(size.group(1));
            } else if (rate.find() && current != null) {
                rates.add(rate.group(1).replaceAll("\\.0+\\b", "").replaceAll("(\\.\\d*?)0+\\b", "$1"));
            }
        }
        addSize(current, rates);
        return sizes;
    }

    /** Completes the last size of {@code sizes} with the rates gathered for it. */
    private static void addSize(List<String> sizes, List<String> rates) {
        if (sizes != null && !sizes.isEmpty() && !rates.isEmpty()) {
            sizes.set(sizes.size() - 1, sizes.get(sizes.size() - 1) + " at " + String.join("/", rates) + " fps");
        }
        rates.clear();
    }

    /** What webcam-capture's built-in native driver finds, as {@code --source} values (this loads its natives). */
    public static List<String> builtin() throws IOException {
        return BuiltinCamera.devices().stream().map(device -> "default:" + device.getName()).toList();
    }

    /** What {@code v4l2-ctl} lists for the device, or nothing where it is not installed or fails. */
    private static String v4l2Ctl(Path device) {
        try {
            return ProcessFrames.output(List.of("v4l2-ctl", "-d", device.toString(), "--list-formats-ext"));
        } catch (IOException e) {
            return "";
        }
    }
}
