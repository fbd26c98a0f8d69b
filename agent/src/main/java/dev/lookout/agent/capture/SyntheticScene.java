package dev.lookout.agent.capture;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * {@code synthetic}: a generated, deterministic scene with a known truth — a still textured
 * background, sensor noise, objects that cross it, and lighting changes (steps and ramps). The
 * demo's default source and the ground truth for detection tests. Needs no camera and no files.
 */
public final class SyntheticScene implements FrameStream {
    private static final int NOISE_TABLE = 1 << 16;

    private final int width;
    private final int height;
    private final double fps;
    private final int frames;
    private final List<Mover> movers;
    private final List<Light> lights;
    private final int[] background;
    private final int[] noise;
    private final Random random;
    private int next;

    /** An object of {@code w}x{@code h} pixels at {@code x0} in frame {@code from}, moving right at {@code speed} px per frame. */
    private record Mover(int from, double speed, int w, int h, int y, int rgb, int x0) {
        double x(int frame) {
            return x0 + (frame - from) * speed;
        }
    }

    /** Brightness shifted by {@code delta}, reached linearly between {@code from} and {@code to}, then kept. */
    private record Light(int from, int to, int delta) {
        double at(int frame) {
            if (frame < from) {
                return 0;
            }
            return frame >= to ? delta : delta * (frame - from) / (double) (to - from);
        }
    }

    private SyntheticScene(Builder b) {
        this.width = b.width;
        this.height = b.height;
        this.fps = b.fps;
        this.frames = b.frames;
        this.movers = List.copyOf(b.movers);
        this.lights = List.copyOf(b.lights);
        this.random = new Random(b.seed);
        this.background = new int[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int v = 70 + (x * 90 / width) + (y * 50 / height) + random.nextInt(24) + ((x / 40 + y / 40) % 2) * 20;
                background[y * width + x] = v;
            }
        }
        this.noise = new int[NOISE_TABLE];
        for (int i = 0; i < NOISE_TABLE; i++) {
            noise[i] = (int) Math.round(random.nextGaussian() * b.noiseSigma);
        }
    }

    /** The demo scene, 300 frames: a person crossing, lights switched on, a cloud, a slow cat. */
    public static SyntheticScene demo(int width, int height, double fps, long seed) {
        return builder(width, height).fps(fps).seed(seed).frames(300)
                .object(60, (width + width / 8.0) / 60, width / 8, height / 3)
                .light(150, 150, 35)
                .light(180, 210, -35)
                .object(230, 2.0 * width / 640, width / 12, height / 8)
                .build();
    }

    public static Builder builder(int width, int height) {
        return new Builder(width, height);
    }

    /** Whether an object is (partly) in view in frame {@code index}: the ground truth. */
    public boolean objectInView(int index) {
        for (Mover m : movers) {
            double x = m.x(index);
            if (index >= m.from() && x < width && x + m.w() > 0) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Frame next() {
        if (next >= frames) {
            return null;
        }
        int index = next++;
        return Frame.atRate(index, fps, render(index), null);
    }

    private BufferedImage render(int index) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] pixels = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        double light = 0;
        for (Light l : lights) {
            light += l.at(index);
        }
        int shift = (int) Math.round(light);
        int offset = random.nextInt(NOISE_TABLE);
        for (int i = 0; i < pixels.length; i++) {
            int v = background[i] + shift;
            int n = (offset + i * 7) & (NOISE_TABLE - 1);
            int r = clamp(v + noise[n]);
            int g = clamp(v + noise[(n + 1) & (NOISE_TABLE - 1)]);
            int b = clamp(v - 10 + noise[(n + 2) & (NOISE_TABLE - 1)]);
            pixels[i] = r << 16 | g << 8 | b;
        }
        for (Mover m : movers) {
            if (index < m.from()) {
                continue;
            }
            int x0 = (int) Math.round(m.x(index));
            for (int y = Math.max(0, m.y()); y < Math.min(height, m.y() + m.h()); y++) {
                for (int x = Math.max(0, x0); x < Math.min(width, x0 + m.w()); x++) {
                    pixels[y * width + x] = m.rgb();
                }
            }
        }
        return image;
    }

    private static int clamp(int v) {
        return v < 0 ? 0 : Math.min(255, v);
    }

    @Override
    public void close() {
        next = frames;
    }

    /** Describes a scene. */
    public static final class Builder {
        private final int width;
        private final int height;
        private final List<Mover> movers = new ArrayList<>();
        private final List<Light> lights = new ArrayList<>();
        private double fps = 5;
        private int frames = 300;
        private long seed = 1;
        private double noiseSigma = 3;

        private Builder(int width, int height) {
            this.width = width;
            this.height = height;
        }

        public Builder fps(double value) {
            fps = value;
            return this;
        }

        public Builder frames(int value) {
            frames = value;
            return this;
        }

        public Builder seed(long value) {
            seed = value;
            return this;
        }

        public Builder noise(double sigma) {
            noiseSigma = sigma;
            return this;
        }

        /** A dark object entering from the left at frame {@code from}, vertically centred. */
        public Builder object(int from, double speed, int w, int h) {
            movers.add(new Mover(from, speed, w, h, (height - h) / 2 + movers.size() * 7, 0x302820, -w));
            return this;
        }

        /** A dark object standing still at ({@code x}, {@code y}) from frame {@code from}. */
        public Builder block(int from, int x, int y, int w, int h) {
            movers.add(new Mover(from, 0, w, h, y, 0x302820, x));
            return this;
        }

        /** A brightness change of {@code delta} grey levels between frames {@code from} and {@code to} (a step when equal). */
        public Builder light(int from, int to, int delta) {
            lights.add(new Light(from, to, delta));
            return this;
        }

        public SyntheticScene build() {
            return new SyntheticScene(this);
        }
    }
}
