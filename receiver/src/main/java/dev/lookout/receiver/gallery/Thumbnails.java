package dev.lookout.receiver.gallery;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.FileImageOutputStream;
import javax.imageio.stream.ImageOutputStream;

/** Small JPEGs of the images, {@value #WIDTH} pixels wide, made once. */
final class Thumbnails {
    static final int WIDTH = 240;
    private static final float QUALITY = 0.75f;

    private Thumbnails() {
    }

    /** Loads the JPEG reader and writer ahead of need: their first use is most of a thumbnail's cost in a fresh process. */
    static void warmUp() {
        ImageIO.getImageReadersByFormatName("jpeg").next().dispose();
        ImageIO.getImageWritersByFormatName("jpeg").next().dispose();
    }

    /** Writes the thumbnail of {@code image} to {@code thumb} (atomically); false when the image cannot be read. */
    static boolean make(Path image, Path thumb) throws IOException {
        BufferedImage small = read(image);
        if (small == null) {
            return false;
        }
        BufferedImage scaled = scale(small);
        Files.createDirectories(thumb.getParent());
        Path temp = thumb.resolveSibling("." + thumb.getFileName() + ".part");
        Files.deleteIfExists(temp); // the stream below would write over, not truncate, a leftover
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ImageOutputStream out = new FileImageOutputStream(temp.toFile())) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(QUALITY);
            writer.write(null, new IIOImage(scaled, null, null), param);
        } finally {
            writer.dispose();
        }
        Files.move(temp, thumb, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return true;
    }

    /**
     * Scales to {@value #WIDTH} pixels wide, each target pixel the mean of the source pixels under
     * it. (Plain loops: Java2D's first use costs a short-lived process more than the whole thumbnail.)
     */
    static BufferedImage scale(BufferedImage source) {
        int sw = source.getWidth();
        int sh = source.getHeight();
        int height = Math.max(1, Math.round(sh * (float) WIDTH / sw));
        BufferedImage scaled = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        int[] out = ((DataBufferInt) scaled.getRaster().getDataBuffer()).getData();
        // a decoded JPEG is 3-byte BGR or grey: read its bytes; anything else through getRGB
        int channels = source.getType() == BufferedImage.TYPE_3BYTE_BGR ? 3
                : source.getType() == BufferedImage.TYPE_BYTE_GRAY ? 1 : 0;
        byte[] bytes = channels == 0 ? null : ((DataBufferByte) source.getRaster().getDataBuffer()).getData();
        int[] rgb = channels == 0 ? source.getRGB(0, 0, sw, sh, null, 0, sw) : null;
        for (int y = 0; y < height; y++) {
            int y0 = y * sh / height;
            int y1 = Math.max(y0 + 1, (y + 1) * sh / height);
            for (int x = 0; x < WIDTH; x++) {
                int x0 = x * sw / WIDTH;
                int x1 = Math.max(x0 + 1, (x + 1) * sw / WIDTH);
                int r = 0;
                int g = 0;
                int b = 0;
                for (int yy = y0; yy < y1; yy++) {
                    for (int xx = x0; xx < x1; xx++) {
                        int i = yy * sw + xx;
                        if (channels == 3) {
                            b += bytes[3 * i] & 0xFF;
                            g += bytes[3 * i + 1] & 0xFF;
                            r += bytes[3 * i + 2] & 0xFF;
                        } else if (channels == 1) {
                            int v = bytes[i] & 0xFF;
                            r += v;
                            g += v;
                            b += v;
                        } else {
                            r += rgb[i] >> 16 & 0xFF;
                            g += rgb[i] >> 8 & 0xFF;
                            b += rgb[i] & 0xFF;
                        }
                    }
                }
                int n = (y1 - y0) * (x1 - x0);
                out[y * WIDTH + x] = (r / n) << 16 | (g / n) << 8 | b / n;
            }
        }
        return scaled;
    }

    /** The image decoded at about twice the thumbnail's width (reading every n-th pixel is much cheaper). */
    private static BufferedImage read(Path image) throws IOException {
        try (ImageInputStream in = new FileImageInputStream(image.toFile())) {
            // by name: asking every reader whether it knows the file costs more than reading it
            ImageReader reader = ImageIO.getImageReadersByFormatName("jpeg").next();
            try {
                reader.setInput(in, true, true);
                int step = Math.max(1, reader.getWidth(0) / (2 * WIDTH));
                ImageReadParam param = reader.getDefaultReadParam();
                param.setSourceSubsampling(step, step, 0, 0);
                return reader.read(0, param);
            } catch (javax.imageio.IIOException broken) {
                return null;
            } finally {
                reader.dispose();
            }
        }
    }
}
