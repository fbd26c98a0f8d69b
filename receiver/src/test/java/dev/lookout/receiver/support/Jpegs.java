package dev.lookout.receiver.support;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Real JPEGs, encoded with ImageIO: a noisy scene compresses to a realistic 100–200 KB at 640x480. */
public final class Jpegs {
    private Jpegs() {
    }

    public static byte[] noise(int width, int height, long seed) {
        return encode(scene(width, height, seed, BufferedImage.TYPE_INT_RGB), false);
    }

    public static byte[] grey(int width, int height, long seed) {
        return encode(scene(width, height, seed, BufferedImage.TYPE_BYTE_GRAY), false);
    }

    public static byte[] progressive(int width, int height, long seed) {
        return encode(scene(width, height, seed, BufferedImage.TYPE_INT_RGB), true);
    }

    private static BufferedImage scene(int width, int height, long seed, int type) {
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(width, height, type);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int base = (x * 255 / width + y * 255 / height) / 2;
                int r = clamp(base + random.nextInt(90) - 45);
                int g = clamp(base / 2 + random.nextInt(90) - 45);
                int b = clamp(255 - base + random.nextInt(90) - 45);
                image.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return image;
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    private static byte[] encode(BufferedImage image, boolean progressive) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.85f);
            if (progressive) {
                param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            }
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
