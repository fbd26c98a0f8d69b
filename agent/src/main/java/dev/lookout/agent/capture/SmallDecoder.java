package dev.lookout.agent.capture;

import dev.lookout.jpeg.Segments;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The small grey picture of each JPEG, decoded in this process: small ({@link SmallJpeg}, at 1/4 or
 * 1/8 scale) where the frame (as its own header says, whatever size was asked of the source) is at
 * least four times as wide as the picture; frames narrower than that, and a frame coded in a way that
 * decoder does not read (progressive, say), are decoded in full (ImageIO) and reduced to the same size,
 * if their header says they are at most {@value #MAX_FULL_WIDTH}×{@value #MAX_FULL_HEIGHT} pixels
 * (Full HD) in all; a frame neither reads (damaged, larger, without a frame header) has no picture and
 * is skipped: ImageIO is never handed camera bytes whose size is not known and bounded. The first frame decoded in full for want of support and the first skipped
 * are logged with the reason, and then every {@value #LOG_EVERY}th with the count. Not thread-safe:
 * one per stream.
 */
final class SmallDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(SmallDecoder.class);
    private static final int LOG_EVERY = 100;
    /**
     * The largest frame decoded in full, in pixels (Full HD: 6 MB as ImageIO's 3 bytes a pixel, on a
     * heap of 128 MB). USB and network cameras send baseline JPEGs, read small at any size; the full
     * decode is for narrow frames and an odd coding, and a larger one is more work than detection needs.
     */
    static final int MAX_FULL_WIDTH = 1920;
    static final int MAX_FULL_HEIGHT = 1080;
    private static final long MAX_FULL_PIXELS = (long) MAX_FULL_WIDTH * MAX_FULL_HEIGHT;

    /** The small decoder for each {@link #lowres} level it supports, made on first use. */
    private final SmallJpeg[] small = new SmallJpeg[4];
    private final int width;
    private long decodedInFull;
    private long skipped;

    /** Pictures {@code width} wide. */
    SmallDecoder(int width) {
        this.width = width;
    }

    /**
     * The scale to decode frames {@code frameWidth} wide at for pictures {@code width} wide, as ffmpeg's
     * {@code -lowres}: the smallest of 1/2, 1/4, 1/8 still at least {@code width} wide, 0 for full size.
     */
    static int lowres(int width, int frameWidth) {
        int level = 0;
        while (level < 3 && frameWidth >> (level + 1) >= width) {
            level++;
        }
        return level;
    }

    /** The small grey picture (TYPE_BYTE_GRAY) of {@code jpeg}, or {@code null} when it cannot be decoded. */
    BufferedImage of(byte[] jpeg) {
        int header = frameHeader(jpeg);
        if (header < 0) {
            return skip("no frame header in the JPEG");
        }
        int lowres = lowres(width, frameWidth(jpeg, header));
        if (!SmallJpeg.supports(lowres)) {
            long pixels = pixels(jpeg, header);
            if (pixels == 0 || pixels > MAX_FULL_PIXELS) {
                return skip("a frame of " + pixels + " pixels, too narrow to decode small (at most "
                        + MAX_FULL_PIXELS + " are decoded in full)");
            }
            BufferedImage full = full(jpeg);
            return full != null ? reduced(full, lowres) : skip("not a JPEG that can be decoded");
        }
        if (small[lowres] == null) {
            small[lowres] = new SmallJpeg(width, lowres);
        }
        try {
            return small[lowres].decode(jpeg);
        } catch (SmallJpeg.Unsupported e) {
            BufferedImage full = e.pixels() <= MAX_FULL_PIXELS ? full(jpeg) : null;
            if (full != null) {
                if (decodedInFull++ % LOG_EVERY == 0) {
                    LOG.warn("JPEG frame decoded in full ({} so far): {}", decodedInFull, e.getMessage());
                }
                return reduced(full, lowres);
            }
            return skip(e.getMessage());
        } catch (IOException e) {
            return skip(e.getMessage());
        }
    }

    /**
     * Where the body of the frame header (SOFn) starts, or -1 where none whole is found before the
     * scan or a segment that does not fit.
     */
    static int frameHeader(byte[] jpeg) {
        Segments segments = new Segments(jpeg, 2);
        for (int marker = segments.next(); marker >= 0 && marker != 0xDA; marker = segments.next()) {
            int length = segments.length();
            if (length < 0) {
                return -1;
            }
            if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
                return length >= 8 ? segments.body() : -1;
            }
        }
        return -1;
    }

    /** The width the frame header whose body is at {@code header} gives. */
    static int frameWidth(byte[] jpeg, int header) {
        return (jpeg[header + 3] & 0xFF) << 8 | jpeg[header + 4] & 0xFF;
    }

    private static long pixels(byte[] jpeg, int header) {
        return (long) frameWidth(jpeg, header) * ((jpeg[header + 1] & 0xFF) << 8 | jpeg[header + 2] & 0xFF);
    }

    private BufferedImage skip(String why) {
        if (skipped++ % LOG_EVERY == 0) {
            LOG.warn("undecodable JPEG frame skipped ({} so far): {}", skipped, why);
        }
        return null;
    }

    private static BufferedImage full(byte[] jpeg) {
        try {
            return ImageIO.read(new ByteArrayInputStream(jpeg));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The full picture's luma (BT.601), area-scaled to the size a small decode gives. */
    private BufferedImage reduced(BufferedImage full, int lowres) {
        int w = full.getWidth();
        int h = full.getHeight();
        byte[] luma = new byte[w * h];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            full.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int rgb = row[x];
                luma[y * w + x] = (byte) ((306 * (rgb >> 16 & 0xFF) + 601 * (rgb >> 8 & 0xFF) + 117 * (rgb & 0xFF) + 512) >> 10);
            }
        }
        BufferedImage image = new BufferedImage(width, SmallJpeg.height(width, w, h, lowres), BufferedImage.TYPE_BYTE_GRAY);
        AreaScale.scale(luma, w, w, h, ((DataBufferByte) image.getRaster().getDataBuffer()).getData(),
                image.getWidth(), image.getHeight());
        return image;
    }
}
