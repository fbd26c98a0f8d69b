package dev.lookout.agent.detect;

import java.awt.Rectangle;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What detection ignores: do-not-engage rectangles (frame pixels) and, optionally, a PGM image as
 * Motion uses them — black (below mid-grey) is ignored, white is watched — scaled to the frame.
 */
public final class Mask {
    public static final Mask NONE = new Mask(0, 0, null);

    private final int width;
    private final int height;
    private final int[] grey;

    private Mask(int width, int height, int[] grey) {
        this.width = width;
        this.height = height;
        this.grey = grey;
    }

    /** A {@code width}x{@code height} mask ignoring the given pixels. */
    static Mask of(int width, int height, boolean[] ignored) {
        int[] grey = new int[width * height];
        for (int i = 0; i < grey.length; i++) {
            grey[i] = ignored[i] ? 0 : 255;
        }
        return new Mask(width, height, grey);
    }

    /** Writes this mask as a binary PGM (P5), readable by {@link #pgm} and by Motion. */
    public void write(Path file) throws IOException {
        byte[] header = ("P5\n" + width + " " + height + "\n255\n").getBytes(StandardCharsets.US_ASCII);
        byte[] image = new byte[header.length + width * height];
        System.arraycopy(header, 0, image, 0, header.length);
        for (int i = 0; i < width * height; i++) {
            image[header.length + i] = (byte) grey[i];
        }
        Files.write(file, image);
    }

    /** Reads a binary (P5) or plain (P2) PGM file. */
    public static Mask pgm(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            String magic = token(in);
            if (!magic.equals("P5") && !magic.equals("P2")) {
                throw new IOException(file + " is not a PGM image (P5 or P2)");
            }
            int w = Integer.parseInt(token(in));
            int h = Integer.parseInt(token(in));
            int max = Integer.parseInt(token(in));
            if (w < 1 || h < 1 || max < 1 || max > 65535) {
                throw new IOException(file + ": bad PGM header");
            }
            int[] grey = new int[w * h];
            for (int i = 0; i < grey.length; i++) {
                int v = magic.equals("P2") ? Integer.parseInt(token(in))
                        : max < 256 ? in.readUnsignedByte() : in.readUnsignedShort();
                grey[i] = v * 255 / max;
            }
            return new Mask(w, h, grey);
        } catch (NumberFormatException | java.io.EOFException e) {
            throw new IOException(file + ": truncated or malformed PGM", e);
        }
    }

    private static String token(InputStream in) throws IOException {
        StringBuilder token = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '#') {
                while ((c = in.read()) >= 0 && c != '\n') {
                    // comment
                }
            } else if (Character.isWhitespace(c)) {
                if (token.length() > 0) {
                    return token.toString();
                }
            } else {
                token.append((char) c);
            }
        }
        if (token.length() == 0) {
            throw new java.io.EOFException();
        }
        return token.toString();
    }

    /**
     * Which pixels of a {@code pw}x{@code ph} plane (frame pixels divided by {@code scale}) are ignored:
     * those inside a zone, or black in the mask image.
     */
    boolean[] ignored(List<Rectangle> zones, double scale, int pw, int ph) {
        boolean[] ignored = new boolean[pw * ph];
        for (int y = 0; y < ph; y++) {
            for (int x = 0; x < pw; x++) {
                int fx = (int) ((x + 0.5) * scale);
                int fy = (int) ((y + 0.5) * scale);
                boolean skip = false;
                for (Rectangle zone : zones) {
                    skip |= zone.contains(fx, fy);
                }
                if (grey != null) {
                    skip |= grey[(y * height / ph) * width + (x * width / pw)] < 128;
                }
                ignored[y * pw + x] = skip;
            }
        }
        return ignored;
    }
}
