package dev.lookout.agent.encode;

import dev.lookout.agent.detect.Still;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.font.TextLayout;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * The JPEG bytes that go out for a still: the camera's own JPEG, untouched, when it gave one and no
 * overlay is asked for; otherwise the frame encoded (quality 0.9), with the camera name and the
 * capture time burned into its top-left corner when {@code overlay} is on. Either way the camera's
 * name and the capture time go into its Exif block ({@link ExifStamp}).
 */
public final class StillEncoder {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
    private static final float QUALITY = 0.9f;

    private final boolean overlay;
    private final ZoneId zone;

    public StillEncoder(boolean overlay, ZoneId zone) {
        this.overlay = overlay;
        this.zone = zone;
    }

    /** @param timeKnown whether the capture time is real (a synchronised clock), to be written into the Exif block */
    public byte[] encode(Still still, boolean timeKnown) throws IOException {
        return ExifStamp.stamp(pixels(still), still.camera(), still.frame().captureMillis(), zone, timeKnown);
    }

    private byte[] pixels(Still still) throws IOException {
        if (!overlay && still.frame().jpeg() != null) {
            return still.frame().jpeg();
        }
        BufferedImage source = still.frame().image();
        BufferedImage image = new BufferedImage(source.getWidth(), source.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.drawImage(source, 0, 0, null);
            if (overlay) {
                stamp(g, still.camera() + "  " + STAMP.format(Instant.ofEpochMilli(still.frame().captureMillis()).atZone(zone)),
                        Math.max(12, source.getHeight() / 30));
            }
        } finally {
            g.dispose();
        }
        return jpeg(image);
    }

    /** White text with a dark outline, readable on any background. */
    private static void stamp(Graphics2D g, String text, int size) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        TextLayout layout = new TextLayout(text, new Font(Font.SANS_SERIF, Font.BOLD, size), g.getFontRenderContext());
        java.awt.Shape outline = layout.getOutline(AffineTransform.getTranslateInstance(size / 2.0, size * 1.4));
        g.setStroke(new BasicStroke(Math.max(2f, size / 6f)));
        g.setColor(Color.BLACK);
        g.draw(outline);
        g.setColor(Color.WHITE);
        g.fill(outline);
    }

    private static byte[] jpeg(BufferedImage image) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(QUALITY);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }
}
