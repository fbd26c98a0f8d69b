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
 *   <li>A changed pixel that keeps the same difference for {@code absorbAfterMillis} joins the
 *       background (as Motion's reference frame takes in a parked car): an event ends once things
 *       stop moving, and a new mover there counts at once.</li>
 *   <li>The threshold follows the sensor noise (the median difference of each frame) and, per pixel,
 *       how much that pixel keeps differing (leaves in the wind); only blobs count, not single pixels.
 *       The smart mask, when on, leaves out pixels that changed most of the last minute.</li>
 *   <li>A change over {@code maxAreaPercent} of the frame re-baselines instead of reporting motion.</li>
 *   <li>Do-not-engage zones and a mask are ignored throughout.</li>
 * </ul>
 * Not thread-safe: one instance per camera.
 */
public final class LumaMotionAlgorithm implements WebcamMotionDetectorAlgorithm {
    private static final double[] IDENTITY = {1, 0};
    /** A background at this level or above (or this far from 255 below) was clipped by the sensor. */
    private static final float CLIPPED = 250;
    /** Longest time between two frames that counts towards absorption (a gap in the stream is no stillness). */
    private static final int MAX_STEP_MILLIS = 2000;
    /** A changed pixel that kept its difference for less than this is still moving. */
    private static final int LIVE_MILLIS = 2000;
    /** Frames a changed pixel's difference is averaged over to tell whether it still changes. */
    private static final int OFFSET_SAMPLES = 8;
    /** How long the mean difference of a pixel from the background is averaged over. */
    private static final float SPREAD_MILLIS = 30_000;
    /** A pixel counts as changed only beyond this many times its mean difference from the background. */
    private static final float SPREAD_FACTOR = 4f;
    /** A difference adds at most this many thresholds to the mean (a mover passing by is no leaf). */
    private static final float SPREAD_CAP = 4f;
    /** The smart mask's learning window. */
    private static final float SMART_MASK_MILLIS = 60_000;
    /** Share of the window a pixel changed in that masks it, and that unmasks it again. */
    private static final float SMART_MASK_ON = 0.5f;
    private static final float SMART_MASK_OFF = 0.25f;

    private final DetectionSettings settings;
    private final Mask mask;
    private List<Rectangle> zones = List.of();
    private int zoneFrameWidth;
    private int scale = 1;
    private int sourceWidth;
    private int sourceHeight;
    private float[] background;
    private boolean[] ignored;
    private float[] offset;
    private int[] steady;
    private byte[] samples;
    private float[] spread;
    private float[] activity;
    private boolean[] masked;
    private boolean[] moving;
    private final int[] deviations = new int[256];
    private int settled;
    private int planeWidth;
    private long clock = Long.MIN_VALUE;
    private long lastMillis;
    private double noise;
    private double[] fit = IDENTITY;
    private double lastLevel = 128;
    private final BufferedImage[] planes = new BufferedImage[2];
    private int turn;
    private double area;
    private double liveArea;
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

    /**
     * The capture time of the frame about to be detected, for timing absorption and the smart mask
     * by the source's clock (a recorded clip runs faster than real time). Without it, the wall clock.
     */
    public void clock(long captureMillis) {
        clock = captureMillis;
    }

    @Override
    public boolean detect(BufferedImage previous, BufferedImage current) {
        byte[] cur = ((DataBufferByte) current.getRaster().getDataBuffer()).getData();
        int pw = current.getWidth();
        int ph = current.getHeight();
        long now = clock == Long.MIN_VALUE ? System.currentTimeMillis() : clock;
        int elapsed = (int) Math.max(0, Math.min(MAX_STEP_MILLIS, now - lastMillis));
        lastMillis = now;
        if (background == null || background.length != cur.length) {
            baseline(cur, pw, ph);
            return false;
        }
        float threshold = (float) Math.max(settings.pixelThreshold(), settings.noiseFactor() * noise);
        fit = fit(cur, fit, 3 * threshold);
        double level = fit[0] * 128 + fit[1];
        if (Math.abs(level - lastLevel) > threshold) {
            // A lighting step (lamp, IR-cut switch, exposure jump) moved mid-grey by more than the
            // threshold since the last frame: clipped and shadowed pixels make the old background
            // useless. Start again. (A ramp moves it a little each frame: the fit follows that.)
            baseline(cur, pw, ph);
            return false;
        }
        lastLevel = level;
        float a = (float) fit[0];
        float b = (float) fit[1];
        // right after a baseline the background is one noisy frame: average the first ones evenly
        float fast = Math.max((float) settings.backgroundRate(), 1f / ++settled);
        float learn = (float) elapsed / SMART_MASK_MILLIS;
        float spreadRate = Math.max((float) elapsed / SPREAD_MILLIS, 1f / settled);
        Arrays.fill(deviations, 0);
        int changed = 0;
        int live = 0;
        int watching = 0;
        long sx = 0;
        long sy = 0;
        for (int y = 0, i = 0; y < ph; y++) {
            for (int x = 0; x < pw; x++, i++) {
                float value = cur[i] & 0xff;
                float expected = Math.max(0f, Math.min(255f, a * background[i] + b));
                float d = value - expected;
                if (background[i] >= CLIPPED && d > 0 || background[i] <= 255 - CLIPPED && d < 0) {
                    // the background was clipped (a white wall in bright light): brighter or darker
                    // than it says is all that can be known; light going down makes it look changed
                    d = 0;
                }
                float size = Math.abs(d);
                deviations[Math.min(255, (int) size)]++;
                // pixels that keep differing (leaves, water) need a larger change; a steady change
                // (a parcel waiting to be absorbed) does not teach this
                if (steady[i] == 0) {
                    spread[i] += spreadRate * (Math.min(size, SPREAD_CAP * threshold) - spread[i]);
                }
                float limit = Math.max(threshold, SPREAD_FACTOR * spread[i]);
                boolean moved = size > limit && !absorbed(i, d, limit, elapsed, a);
                if (!moved && size <= limit) {
                    // unchanged pixels follow the frame (a lighting change too)
                    background[i] += fast * (value - background[i]);
                    steady[i] = 0;
                    samples[i] = 0;
                } else if (moved) {
                    // changed ones follow only the change of light, so that they match when uncovered
                    background[i] += fast * (expected - background[i]);
                }
                boolean watch = !(ignored[i] || settings.smartMask() && learned(i, size > threshold, learn));
                watching += watch ? 1 : 0;
                moving[i] = watch && moved;
            }
        }
        // single changed pixels and thin lines (leaves, noise) are not counted: only where a pixel and
        // at least three of its four neighbours changed (a mover is a blob)
        for (int y = 1; y < ph - 1; y++) {
            for (int x = 1, i = y * pw + 1; x < pw - 1; x++, i++) {
                if (moving[i] && (moving[i - 1] ? 1 : 0) + (moving[i + 1] ? 1 : 0) + (moving[i - pw] ? 1 : 0)
                        + (moving[i + pw] ? 1 : 0) >= 3) {
                    changed++;
                    live += steady[i] < LIVE_MILLIS ? 1 : 0;
                    sx += x;
                    sy += y;
                }
            }
        }
        area = watching == 0 ? 0 : 100.0 * changed / watching;
        liveArea = watching == 0 ? 0 : 100.0 * live / watching;
        noise(cur.length);
        if (area > settings.maxAreaPercent()) {
            baseline(cur, pw, ph);
            return false;
        }
        cog = changed == 0 ? new Point(sourceWidth / 2, sourceHeight / 2)
                : new Point((int) (sx / changed) * scale, (int) (sy / changed) * scale);
        return area >= settings.areaPercent();
    }

    /**
     * Whether a changed pixel has just joined the background: it differs from the background by
     * {@code d}, and once it has kept that difference (within {@code limit}) for
     * {@code absorbAfterMillis} it is a stationary change (a parcel, a parked car), no longer motion.
     * A pixel that keeps changing (a mover, even a slow one) starts again each time.
     */
    private boolean absorbed(int i, float d, float limit, int elapsed, float gain) {
        if (samples[i] == 0 || Math.abs(d - offset[i]) > limit) {
            offset[i] = d;
            samples[i] = 1;
            steady[i] = 0;
            return false;
        }
        if (samples[i] < OFFSET_SAMPLES) {
            samples[i]++;
        }
        offset[i] += (d - offset[i]) / samples[i];
        steady[i] += elapsed;
        if (settings.absorbAfterMillis() <= 0 || steady[i] < settings.absorbAfterMillis()) {
            return false;
        }
        background[i] += offset[i] / Math.max(0.1f, gain);
        samples[i] = 0;
        steady[i] = 0;
        return true;
    }

    /**
     * Smart mask: follows the share of the last minute or so in which the pixel changed; a pixel
     * changing most of the time is left out until it has been calm for a while.
     */
    private boolean learned(int i, boolean changing, float learn) {
        activity[i] += learn * ((changing ? 1 : 0) - activity[i]);
        if (activity[i] > SMART_MASK_ON) {
            masked[i] = true;
        } else if (activity[i] < SMART_MASK_OFF) {
            masked[i] = false;
        }
        return masked[i];
    }

    /**
     * The sensor noise σ from this frame's median deviation from the background (movers cover less
     * than half of the picture), followed at once when it rises (dusk), slowly when it falls.
     */
    private void noise(int pixels) {
        int median = 0;
        for (int count = deviations[0]; count < pixels / 2; count += deviations[++median]) {
            // the median's histogram bin
        }
        double sigma = 1.4826 * (median + 0.5);
        noise = sigma > noise ? sigma : 0.9 * noise + 0.1 * sigma;
    }

    /**
     * What detection ignores now, at the size of the detection plane: the mask and zones it was
     * given, and what the smart mask has learned. Usable as {@code --mask}.
     */
    public Mask learnedMask() {
        if (background == null) {
            return Mask.of(1, 1, new boolean[1]);
        }
        boolean[] ignoring = new boolean[ignored.length];
        for (int i = 0; i < ignoring.length; i++) {
            ignoring[i] = ignored[i] || masked[i];
        }
        return Mask.of(planeWidth, ignoring.length / planeWidth, ignoring);
    }

    private void baseline(byte[] cur, int pw, int ph) {
        background = new float[cur.length];
        for (int i = 0; i < cur.length; i++) {
            background[i] = cur[i] & 0xff;
        }
        if (offset == null || offset.length != cur.length) {
            offset = new float[cur.length];
            steady = new int[cur.length];
            samples = new byte[cur.length];
            spread = new float[cur.length];
            activity = new float[cur.length];
            masked = new boolean[cur.length];
            moving = new boolean[cur.length];
        } else {
            Arrays.fill(steady, 0);
            Arrays.fill(samples, (byte) 0);
        }
        settled = 0;
        planeWidth = pw;
        ignored = mask.ignored(zones, zoneFrameWidth > 0 ? (double) zoneFrameWidth / pw : scale, pw, ph);
        if (noise == 0) {
            noise = settings.pixelThreshold() / settings.noiseFactor();
        }
        area = 0;
        liveArea = 0;
        fit = IDENTITY;
        lastLevel = 128;
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

    /**
     * Whether something in the last frame is moving now — changed within the last two seconds — and
     * not only standing where it stopped, waiting to be absorbed: a frame worth a still.
     */
    public boolean moving() {
        return liveArea >= settings.areaPercent();
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
        setDoNotEngageZones(zones, 0);
    }

    /**
     * Zones in the pixels of the camera's frames, {@code frameWidth} wide, when the algorithm is given
     * smaller pictures of them (the small grey pictures the sources make for detection); 0: in the
     * pixels of the pictures it is given.
     */
    public void setDoNotEngageZones(List<Rectangle> zones, int frameWidth) {
        this.zones = List.copyOf(zones);
        this.zoneFrameWidth = frameWidth;
        background = null;
    }
}
