package dev.lookout.agent.detect;

import com.github.sarxos.webcam.WebcamMotionDetectorAlgorithm;
import java.awt.Point;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Change detection on a small luma plane against an adaptive background, plugged into
 * webcam-capture as its {@link WebcamMotionDetectorAlgorithm}.
 *
 * <ul>
 *   <li>{@link #filter} box-averages a frame down to about {@code planeWidth} pixels wide, reading the
 *       raster directly (no per-pixel {@code getRGB}).</li>
 *   <li>{@link #detect} compares the current plane with a running-average background, not with the
 *       previous frame, so slow movers count. A global linear brightness change (cur ≈ a·bg + b,
 *       fitted per frame, moving objects left out) is taken out first, so clouds and exposure ramps
 *       are not motion; a step in lighting (lamp, IR-cut switch) re-baselines.</li>
 *   <li>The per-pixel threshold follows the measured sensor noise; a change over
 *       {@code maxAreaPercent} of the frame re-baselines instead of reporting motion.</li>
 *   <li>Do-not-engage zones and a mask are ignored throughout.</li>
 * </ul>
 * Not thread-safe: one instance per camera.
 */
public final class LumaMotionAlgorithm implements WebcamMotionDetectorAlgorithm {
    private static final double[] IDENTITY = {1, 0};

    private final DetectionSettings settings;
    private final Mask mask;
    private List<Rectangle> zones = List.of();
    private int scale = 1;
    private int sourceWidth;
    private int sourceHeight;
    private float[] background;
    private boolean[] ignored;
    private int watched;
    private double noise;
    private double[] fit = IDENTITY;
    private final BufferedImage[] planes = new BufferedImage[2];
    private int turn;
    private double area;
    private Point cog = new Point();
    private int pointRange = 50;
    private int maxPoints = 100;

    public LumaMotionAlgorithm(DetectionSettings settings, Mask mask) {
        this.settings = settings;
        this.mask = mask;
    }

    /** Forgets the background: the next frame becomes it (after a reconnect, which is never motion). */
    public void reset() {
        background = null;
    }

    /**
     * Reduces a frame to a luma plane about {@code planeWidth} wide, read straight from the raster:
     * each plane pixel is the mean of its f×f cell, sampled at every other pixel and line for cells
     * of 4 and more. (One sample per cell halves the cost but leaves the full sensor noise, which
     * made a still, noisy scene "move" in tests.)
     */
    @Override
    public BufferedImage filter(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int f = Math.max(1, w / settings.planeWidth());
        int pw = w / f;
        int ph = h / f;
        if (w != sourceWidth || h != sourceHeight) {
            sourceWidth = w;
            sourceHeight = h;
            scale = f;
            background = null;
        }
        int step = f >= 4 ? 2 : 1;
        int samples = ((f + step - 1) / step) * ((f + step - 1) / step);
        BufferedImage plane = nextPlane(pw, ph);
        byte[] out = ((DataBufferByte) plane.getRaster().getDataBuffer()).getData();
        int[] sums = new int[pw];
        int[] row = new int[pw * f];
        int[] rgb = image.getType() == BufferedImage.TYPE_INT_RGB
                ? ((DataBufferInt) image.getRaster().getDataBuffer()).getData() : null;
        for (int oy = 0; oy < ph; oy++) {
            Arrays.fill(sums, 0);
            for (int dy = 0; dy < f; dy += step) {
                int y = oy * f + dy;
                if (rgb != null) {
                    // the common case, without the row copy: sum the samples of each cell directly
                    int base = y * w;
                    for (int ox = 0, x = 0; ox < pw; ox++, x += f) {
                        int sum = 0;
                        for (int dx = 0; dx < f; dx += step) {
                            int p = rgb[base + x + dx];
                            sum += ((p >> 16) & 0xff) * 77 + ((p >> 8) & 0xff) * 150 + (p & 0xff) * 29;
                        }
                        sums[ox] += sum >> 8;
                    }
                    continue;
                }
                luma(image, y, row, step);
                for (int ox = 0, x = 0; ox < pw; ox++, x += f) {
                    int sum = 0;
                    for (int dx = 0; dx < f; dx += step) {
                        sum += row[x + dx];
                    }
                    sums[ox] += sum;
                }
            }
            for (int ox = 0; ox < pw; ox++) {
                out[oy * pw + ox] = (byte) (sums[ox] / samples);
            }
        }
        return plane;
    }

    /**
     * Two planes used in turn: the caller keeps the previous one for a single call (as
     * webcam-capture's detector does), and building a grey image each frame costs more than filling it.
     */
    private BufferedImage nextPlane(int pw, int ph) {
        turn ^= 1;
        BufferedImage plane = planes[turn];
        if (plane == null || plane.getWidth() != pw || plane.getHeight() != ph) {
            plane = new BufferedImage(pw, ph, BufferedImage.TYPE_BYTE_GRAY);
            planes[turn] = plane;
        }
        return plane;
    }

    /** The luma (BT.601 weights, 0-255) of a packed RGB pixel. */
    private static int luma(int rgb) {
        return (((rgb >> 16) & 0xff) * 77 + ((rgb >> 8) & 0xff) * 150 + (rgb & 0xff) * 29) >> 8;
    }

    /** Fills every {@code step}-th entry of {@code row} with the luma of that pixel of line {@code y}. */
    private static void luma(BufferedImage image, int y, int[] row, int step) {
        int n = row.length;
        switch (image.getType()) {
            case BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_INT_ARGB -> {
                int[] data = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
                int base = y * image.getWidth();
                for (int x = 0; x < n; x += step) {
                    row[x] = luma(data[base + x]);
                }
            }
            case BufferedImage.TYPE_3BYTE_BGR -> {
                byte[] data = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
                int base = y * image.getWidth() * 3;
                for (int x = 0; x < n; x += step) {
                    int i = base + x * 3;
                    row[x] = ((data[i + 2] & 0xff) * 77 + (data[i + 1] & 0xff) * 150 + (data[i] & 0xff) * 29) >> 8;
                }
            }
            case BufferedImage.TYPE_BYTE_GRAY -> {
                byte[] data = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
                int base = y * image.getWidth();
                for (int x = 0; x < n; x += step) {
                    row[x] = data[base + x] & 0xff;
                }
            }
            default -> {
                int[] rgb = image.getRGB(0, y, n, 1, null, 0, n);
                for (int x = 0; x < n; x++) {
                    row[x] = luma(rgb[x]);
                }
            }
        }
    }

    @Override
    public boolean detect(BufferedImage previous, BufferedImage current) {
        byte[] cur = ((DataBufferByte) current.getRaster().getDataBuffer()).getData();
        int pw = current.getWidth();
        int ph = current.getHeight();
        if (background == null || background.length != cur.length) {
            baseline(cur, pw, ph);
            return false;
        }
        float threshold = (float) Math.max(settings.pixelThreshold(), settings.noiseFactor() * noise);
        fit = fit(cur, fit, 3 * threshold);
        if (Math.abs(fit[0] * 128 + fit[1] - 128) > threshold) {
            // A lighting step (lamp, IR-cut switch, exposure jump) moved mid-grey by more than the
            // threshold: clipped and shadowed pixels make the old background useless. Start again.
            baseline(cur, pw, ph);
            return false;
        }
        float a = (float) fit[0];
        float b = (float) fit[1];
        float fast = (float) settings.backgroundRate();
        float slow = fast / 20;
        int changed = 0;
        long sx = 0;
        long sy = 0;
        double quietSum = 0;
        int quiet = 0;
        for (int y = 0, i = 0; y < ph; y++) {
            for (int x = 0; x < pw; x++, i++) {
                float value = cur[i] & 0xff;
                float expected = Math.max(0f, Math.min(255f, a * background[i] + b));
                float d = Math.abs(value - expected);
                boolean moved = d > threshold;
                // Unchanged pixels follow the frame quickly, changed ones slowly (a parked car
                // becomes background); following the frame absorbs a lighting change too.
                background[i] += (moved ? slow : fast) * (value - background[i]);
                if (ignored[i]) {
                    continue;
                }
                if (moved) {
                    changed++;
                    sx += x;
                    sy += y;
                } else {
                    quietSum += d;
                    quiet++;
                }
            }
        }
        area = watched == 0 ? 0 : 100.0 * changed / watched;
        if (quiet > 0) {
            // the mean absolute deviation of Gaussian noise is 0.8 σ
            noise = 0.95 * noise + 0.05 * (quietSum / quiet) * 1.25;
        }
        if (area > settings.maxAreaPercent()) {
            baseline(cur, pw, ph);
            return false;
        }
        cog = changed == 0 ? new Point(sourceWidth / 2, sourceHeight / 2)
                : new Point((int) (sx / changed) * scale, (int) (sy / changed) * scale);
        return area >= settings.areaPercent();
    }

    private void baseline(byte[] cur, int pw, int ph) {
        background = new float[cur.length];
        for (int i = 0; i < cur.length; i++) {
            background[i] = cur[i] & 0xff;
        }
        ignored = mask.ignored(zones, scale, pw, ph);
        watched = 0;
        for (boolean skip : ignored) {
            watched += skip ? 0 : 1;
        }
        if (noise == 0) {
            noise = settings.pixelThreshold() / settings.noiseFactor();
        }
        area = 0;
        fit = IDENTITY;
        cog = new Point(sourceWidth / 2, sourceHeight / 2);
    }

    /**
     * Least-squares cur ≈ a·bg + b over the watched pixels, leaving out those further than
     * {@code outlier} from the previous frame's fit (moving objects).
     */
    private double[] fit(byte[] cur, double[] previous, double outlier) {
        double n = 0;
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        // every other pixel: a global fit needs no more, and this runs on every frame
        for (int i = 0; i < cur.length; i += 2) {
            double x = background[i];
            double y = cur[i] & 0xff;
            if (ignored[i] || Math.abs(y - (previous[0] * x + previous[1])) > outlier) {
                continue;
            }
            n++;
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
        }
        double variance = n * sxx - sx * sx;
        if (n < 2 || variance <= 0) {
            return IDENTITY;
        }
        double gain = (n * sxy - sx * sy) / variance;
        return new double[] {gain, (sy - gain * sx) / n};
    }

    @Override
    public Point getCog() {
        return cog;
    }

    /** The changed share of the watched area in the last frame, in percent. */
    @Override
    public double getArea() {
        return area;
    }

    /** The measured sensor noise (σ, grey levels) the threshold follows. */
    public double noise() {
        return noise;
    }

    @Override
    public void setPointRange(int range) {
        pointRange = range;
    }

    @Override
    public void setMaxPoints(int max) {
        maxPoints = max;
    }

    @Override
    public int getPointRange() {
        return pointRange;
    }

    @Override
    public int getMaxPoints() {
        return maxPoints;
    }

    /** The centre of gravity of the change: this algorithm does not track separate blobs. */
    @Override
    public ArrayList<Point> getPoints() {
        ArrayList<Point> points = new ArrayList<>();
        if (area > 0) {
            points.add(cog);
        }
        return points;
    }

    @Override
    public void setDoNotEngageZones(List<Rectangle> zones) {
        this.zones = List.copyOf(zones);
        background = null;
    }
}
