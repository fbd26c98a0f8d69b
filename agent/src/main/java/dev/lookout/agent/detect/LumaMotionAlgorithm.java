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
 *   <li>A local change of light — a shadow, a beam of headlights — darkens or brightens a region
 *       and keeps its texture: such pixels are light, not motion, and the background keeps what is
 *       under them, so that an uncovered region matches again at once.</li>
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
    /** How far around a changed pixel its texture is compared with the background's (pixels). */
    private static final int SHADE_RADIUS = 2;
    /** The darkest shadow and the brightest beam that are light (factors on the background). */
    private static final float SHADE_MIN = 0.3f;
    private static final float SHADE_MAX = 10f;
    /** Light keeps the texture: the frame differs from the scaled background by at most this many thresholds. */
    private static final float SHADE_RESIDUAL = 0.75f;
    /** A texture this many times the sensor noise's variance (after the light's factor) must be kept to this part. */
    private static final float SHADE_TEXTURE = 2f;
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
    private boolean[] blob;
    /** Pixels under a shadow or a beam in the last frame (left out of the global fit). */
    private boolean[] shaded;
    private final int[] deviations = new int[256];
    private final int[] flicker = new int[256];
    /** The last frame's plane. */
    private byte[] last;
    private int settled;
    /** Frames judged since the per-pixel history (variability, smart mask) was new. */
    private long history;
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
        double level = fit == null ? Double.NaN : fit[0] * 128 + fit[1];
        if (fit == null || Math.abs(level - lastLevel) > threshold) {
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
        // the variability of each pixel starts from what the first frames show (their mean), and
        // then follows the last half minute; a re-baseline keeps it (the scene is the same), so that
        // a hand moving in view after a light step is not learned as leaves within a few frames
        float spreadRate = Math.max((float) elapsed / SPREAD_MILLIS, 1f / ++history);
        Arrays.fill(deviations, 0);
        Arrays.fill(flicker, 0);
        int changed = 0;
        int live = 0;
        int watching = 0;
        int measured = 0;
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
                // a shadow or a beam of light over what is there: not motion, and the background keeps
                // what is under it, so that it matches at once when uncovered
                // (tested from half the least threshold on, so that the noise below is not measured
                // on a shadow's shallow parts either)
                boolean shade = size > settings.pixelThreshold() / 2f && lit(cur, x, y, pw, ph, a, b, threshold);
                boolean light = shade && size > Math.max(threshold, SPREAD_FACTOR * spread[i]);
                shaded[i] = shade;
                if (!shade || Math.abs((cur[i] & 0xff) - (last[i] & 0xff)) > size / 2) {
                    // the noise is not measured under a shadow or beam, unless it flickers (leaves)
                    deviations[Math.min(255, (int) size)]++;
                    measured++;
                }
                flicker[Math.abs((cur[i] & 0xff) - (last[i] & 0xff))]++;
                last[i] = cur[i];
                // pixels that keep differing (leaves, water) need a larger change; a steady change
                // (a parcel waiting to be absorbed) does not teach this, nor does light, nor a pixel
                // of a blob counted in the last frame (a hand moving in the same place is no leaf)
                if (steady[i] == 0 && !light && !blob[i]) {
                    spread[i] += spreadRate * (Math.min(size, SPREAD_CAP * threshold) - spread[i]);
                }
                float limit = Math.max(threshold, SPREAD_FACTOR * spread[i]);
                boolean moved = !light && size > limit && !absorbed(i, d, limit, elapsed, a);
                if (light) {
                    background[i] += fast * (expected - background[i]);
                    steady[i] = 0;
                    samples[i] = 0;
                } else if (!moved && size <= limit) {
                    // unchanged pixels follow the frame (a lighting change too)
                    background[i] += fast * (value - background[i]);
                    steady[i] = 0;
                    samples[i] = 0;
                } else if (moved) {
                    // changed ones follow only the change of light, so that they match when uncovered
                    background[i] += fast * (expected - background[i]);
                }
                boolean watch = !(ignored[i] || settings.smartMask() && learned(i, size > threshold && !light, learn));
                watching += watch ? 1 : 0;
                moving[i] = watch && moved;
            }
        }
        // single changed pixels and thin lines (leaves, noise) are not counted: only where a pixel and
        // at least three of its four neighbours changed (a mover is a blob)
        for (int y = 1; y < ph - 1; y++) {
            for (int x = 1, i = y * pw + 1; x < pw - 1; x++, i++) {
                blob[i] = moving[i] && (moving[i - 1] ? 1 : 0) + (moving[i + 1] ? 1 : 0) + (moving[i - pw] ? 1 : 0)
                        + (moving[i + pw] ? 1 : 0) >= 3;
                if (blob[i]) {
                    changed++;
                    live += steady[i] < LIVE_MILLIS ? 1 : 0;
                    sx += x;
                    sy += y;
                }
            }
        }
        area = watching == 0 ? 0 : 100.0 * changed / watching;
        liveArea = watching == 0 ? 0 : 100.0 * live / watching;
        if (area > settings.maxAreaPercent()) {
            // a global change (an exposure or lighting step the fit could not follow): its
            // differences are not sensor noise, and taking them as such would blind detection for
            // seconds while the estimate falls back
            baseline(cur, pw, ph);
            return false;
        }
        noise(measured, cur.length);
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
     * Whether the change at ({@code x}, {@code y}) is light, not a mover. A shadow or a beam darkens
     * or brightens what is there by a factor that varies smoothly, and keeps its texture; a mover
     * brings its own. Over the pixel's neighbourhood (up to {@link #SHADE_RADIUS} pixels away) the
     * frame is fitted as the expected background times a factor that may change linearly across it
     * (a soft shadow's rim); it is light when the factor here lies within [{@link #SHADE_MIN},
     * {@link #SHADE_MAX}] and the fit leaves at most {@link #SHADE_RESIDUAL} thresholds (root mean
     * square), and, where the background has a texture that the factor leaves well above the sensor
     * noise, at most 1/{@link #SHADE_TEXTURE} of that texture unexplained (a plain mover over a
     * textured ground is not a deep shadow).
     */
    private boolean lit(byte[] cur, int x, int y, int pw, int ph, float a, float b, float threshold) {
        // normal equations of c = e·(g + gu·u + gv·v) over the neighbourhood, u and v its offsets
        float ee = 0;
        float eeu = 0;
        float eev = 0;
        float eeuu = 0;
        float eevv = 0;
        float eeuv = 0;
        float ce = 0;
        float ceu = 0;
        float cev = 0;
        float cc = 0;
        float se = 0;
        int n = 0;
        // at the picture's border the neighbourhood is moved inwards, whole (a mover entering the
        // picture is a strip along the border: its outline must be in the neighbourhood)
        int cx = Math.max(SHADE_RADIUS, Math.min(pw - 1 - SHADE_RADIUS, x));
        int cy = Math.max(SHADE_RADIUS, Math.min(ph - 1 - SHADE_RADIUS, y));
        for (int v = -SHADE_RADIUS; v <= SHADE_RADIUS; v++) {
            int u = -SHADE_RADIUS;
            for (int j = (cy + v) * pw + cx + u; u <= SHADE_RADIUS; u++, j++) {
                float e = Math.max(0f, Math.min(255f, a * background[j] + b));
                float c = cur[j] & 0xff;
                float e2 = e * e;
                ee += e2;
                eeu += e2 * u;
                eev += e2 * v;
                eeuu += e2 * u * u;
                eevv += e2 * v * v;
                eeuv += e2 * u * v;
                ce += c * e;
                ceu += c * e * u;
                cev += c * e * v;
                cc += c * c;
                se += e;
                n++;
            }
        }
        float det = ee * (eeuu * eevv - eeuv * eeuv) - eeu * (eeu * eevv - eeuv * eev) + eev * (eeu * eeuv - eeuu * eev);
        if (!(Math.abs(det) > 1e-6f * ee * eeuu * eevv)) {
            return false;
        }
        // Cramer's rule
        float g = (ce * (eeuu * eevv - eeuv * eeuv) - eeu * (ceu * eevv - eeuv * cev) + eev * (ceu * eeuv - eeuu * cev)) / det;
        float gu = (ee * (ceu * eevv - eeuv * cev) - ce * (eeu * eevv - eeuv * eev) + eev * (eeu * cev - ceu * eev)) / det;
        float gv = (ee * (eeuu * cev - ceu * eeuv) - eeu * (eeu * cev - ceu * eev) + ce * (eeu * eeuv - eeuu * eev)) / det;
        if (g < SHADE_MIN || g > SHADE_MAX) {
            return false;
        }
        float unexplained = Math.max(0f, cc - g * ce - gu * ceu - gv * cev) / n;
        float residual = SHADE_RESIDUAL * threshold;
        if (unexplained > residual * residual) {
            return false;
        }
        float texture = g * g * (ee / n - (se / n) * (se / n));
        return texture < SHADE_TEXTURE * noise * noise || unexplained <= texture / SHADE_TEXTURE;
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
     * The sensor noise σ, the larger of two medians: the deviation from the background of the
     * {@code measured} pixels not under a shadow or beam, and the difference from the last frame of
     * all {@code pixels} (√2 times the noise); movers cover less than half of the picture. Followed at
     * once when it rises (dusk), slowly when it falls.
     */
    private void noise(int measured, int pixels) {
        double sigma = 1.4826 * Math.max(median(deviations, measured) + 0.5, (median(flicker, pixels) + 0.5) / Math.sqrt(2));
        noise = sigma > noise ? sigma : 0.9 * noise + 0.1 * sigma;
    }

    /** The histogram bin below which half of the {@code count} values lie. */
    private static int median(int[] histogram, int count) {
        int median = 0;
        for (int seen = histogram[0]; seen < count / 2 && median < histogram.length - 1; seen += histogram[++median]) {
            // the median's histogram bin
        }
        return median;
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
        last = cur.clone();
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
            blob = new boolean[cur.length];
            shaded = new boolean[cur.length];
            history = 0;
        } else {
            Arrays.fill(steady, 0);
            Arrays.fill(samples, (byte) 0);
            Arrays.fill(shaded, false);
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
     * {@code outlier} from the previous frame's fit (moving objects); null when most of the picture
     * is that far off (a step in exposure or light too large to follow, not movers).
     */
    private double[] fit(byte[] cur, double[] previous, double outlier) {
        double n = 0;
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        int off = 0;
        // every other pixel: a global fit needs no more, and this runs on every frame
        for (int i = 0; i < cur.length; i += 2) {
            double x = background[i];
            double y = cur[i] & 0xff;
            if (ignored[i] || shaded[i]) {
                // a local shadow or beam is no global change
                continue;
            }
            if (Math.abs(y - (previous[0] * x + previous[1])) > outlier) {
                off++;
                continue;
            }
            n++;
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
        }
        if (off > n) {
            return null;
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
