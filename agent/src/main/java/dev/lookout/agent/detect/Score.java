package dev.lookout.agent.detect;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How well per-frame motion decisions match labels: recall and precision on frames where something
 * moves, false frames on still scenes (counted from {@link #SETTLE_MILLIS} after the last moving
 * frame, as detection may still be settling before) and during light changes (the frame of a light
 * step itself not counted), and false events (at least {@link #EVENT_FRAMES} false frames in a row,
 * as they start an event with the default {@code --min-frames}), in total and per segment.
 */
public final class Score {
    /** Still frames closer than this to the last moving frame are not counted. */
    public static final long SETTLE_MILLIS = 10_000;
    /** False frames in a row that start a false event (the default {@code --min-frames}). */
    public static final int EVENT_FRAMES = 2;

    /** What a frame shows. */
    public enum Label { MOTION, STILL, LIGHT, STEP }

    /** One labelled frame: what it shows and the segment of the sequence it belongs to. */
    public record Truth(Label label, String segment) {
    }

    /** Counts over some frames. */
    public record Tally(int frames, int motion, int caught, int flagged, int stills, int falseStill, int light,
                        int falseLight, int falseEvents) {
        Tally plus(Tally o) {
            return new Tally(frames + o.frames, motion + o.motion, caught + o.caught, flagged + o.flagged,
                    stills + o.stills, falseStill + o.falseStill, light + o.light, falseLight + o.falseLight,
                    falseEvents + o.falseEvents);
        }

        public double recall() {
            return motion == 0 ? 1 : (double) caught / motion;
        }

        public double precision() {
            return flagged == 0 ? 1 : (double) caught / flagged;
        }

        /** False frames on still scenes, as a share of the counted still frames. */
        public double falseStillShare() {
            return stills == 0 ? 0 : (double) falseStill / stills;
        }
    }

    private final Map<String, Tally> segments = new LinkedHashMap<>();
    private Tally total = new Tally(0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** Scores {@code motion} (one decision per frame, frames {@code frameMillis} apart) against {@code truth}. */
    public Score(List<Truth> truth, List<Boolean> motion, long frameMillis) {
        if (truth.size() != motion.size()) {
            throw new IllegalArgumentException(motion.size() + " decisions for " + truth.size() + " labelled frames");
        }
        long lastMover = Long.MIN_VALUE / 2;
        int falseRun = 0;
        for (int i = 0; i < truth.size(); i++) {
            Label label = truth.get(i).label();
            boolean flagged = motion.get(i);
            long at = i * frameMillis;
            if (label == Label.MOTION) {
                lastMover = at;
            }
            boolean counted = label == Label.STILL && at - lastMover >= SETTLE_MILLIS;
            boolean falseFrame = flagged && (counted || label == Label.LIGHT);
            falseRun = falseFrame ? falseRun + 1 : 0;
            Tally frame = new Tally(1, label == Label.MOTION ? 1 : 0, label == Label.MOTION && flagged ? 1 : 0,
                    flagged && label != Label.STEP ? 1 : 0, counted ? 1 : 0, counted && flagged ? 1 : 0,
                    label == Label.LIGHT ? 1 : 0, label == Label.LIGHT && flagged ? 1 : 0,
                    falseRun == EVENT_FRAMES ? 1 : 0);
            segments.merge(truth.get(i).segment(), frame, Tally::plus);
            total = total.plus(frame);
        }
    }

    /** Reads labels written as {@code index,label,segment} lines after a header. */
    public static List<Truth> labels(Path csv) throws IOException {
        List<Truth> truth = new ArrayList<>();
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String[] fields = line.split(",", -1);
            if (fields.length != 3 || Integer.parseInt(fields[0].strip()) != truth.size()) {
                throw new IOException(csv + ": expected index,label,segment for frame " + truth.size() + ", got " + line);
            }
            try {
                truth.add(new Truth(Label.valueOf(fields[1].strip().toUpperCase(Locale.ROOT)), fields[2].strip()));
            } catch (IllegalArgumentException e) {
                throw new IOException(csv + ": unknown label '" + fields[1] + "' (motion, still, light, step)", e);
            }
        }
        return truth;
    }

    public Tally total() {
        return total;
    }

    /** The tallies per segment name, in order of first appearance. */
    public Map<String, Tally> segments() {
        return segments;
    }

    /** A Markdown table: one row per segment, then the totals. */
    public String table() {
        StringBuilder out = new StringBuilder("| segment | frames | moving | caught | flagged | still counted | false on still"
                + " | light | false in light | false events |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        segments.forEach((name, t) -> row(out, name, t));
        row(out, "**all**", total);
        out.append(String.format(Locale.ROOT, "recall %.3f, precision %.3f, false frames on still scenes %d of %d (%.1f %%),"
                        + " false frames during light changes %d of %d, false events %d%n", total.recall(), total.precision(),
                total.falseStill, total.stills, 100 * total.falseStillShare(), total.falseLight, total.light,
                total.falseEvents));
        return out.toString();
    }

    private static void row(StringBuilder out, String name, Tally t) {
        out.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %d | %d | %d | %d | %d |%n", name, t.frames,
                t.motion, t.caught, t.flagged, t.stills, t.falseStill, t.light, t.falseLight, t.falseEvents));
    }
}
