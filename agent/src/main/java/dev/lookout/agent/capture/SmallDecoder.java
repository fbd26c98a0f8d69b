package dev.lookout.agent.capture;

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
 * least four times as wide as the picture; frames narrower than that, and a frame coded in a way that decoder does not read (progressive, say), are decoded in
 * full (ImageIO, up to 4K UHD) and reduced to the same size; a frame neither reads (damaged) has no
 * picture and is skipped. The first frame decoded in full for want of support and the first skipped
 * are logged with the reason, and then every {@value #LOG_EVERY}th with the count. Not thread-safe:
 * one per stream.
 */
final class SmallDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(SmallDecoder.class);
    private static final int LOG_EVERY = 100;
    /** The largest frame decoded in full (4K UHD): a frame takes 3 bytes a pixel on a heap of 128 MB. */
    private static final long MAX_FULL_PIXELS = 3840 * 2160;

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
        int lowres = lowres(width, frameWidth(jpeg));
        if (!SmallJpeg.supports(lowres)) {
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

    /** The frame's width from its header (SOFn), or 0 where none is found: decoded in full then. */
    static int frameWidth(byte[] jpeg) {
        int at = 2;
        while (at + 9 < jpeg.length && jpeg[at] == (byte) 0xFF) {
            int marker = jpeg[at + 1] & 0xFF;
            if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
                return (jpeg[at + 7] & 0xFF) << 8 | jpeg[at + 8] & 0xFF;
            }
            if (marker == 0xFF) {
                at++;
                continue;
            }
            at += 2 + ((jpeg[at + 2] & 0xFF) << 8 | jpeg[at + 3] & 0xFF);
        }
        return 0;
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
