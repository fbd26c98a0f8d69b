package dev.lookout.agent.capture;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/**
 * Small grey pictures as ffmpeg writes them with {@code -pix_fmt gray -f yuv4mpegpipe}: a header
 * line ({@code YUV4MPEG2 W160 H120 … Cmono}) that gives their size, then each picture after a
 * {@code FRAME} line. The stream is connected on first use (ffmpeg opens it only once its input is open).
 */
final class GreyPlanes implements Closeable {
    private final Callable<InputStream> connect;
    private InputStream in;
    private int width;
    private int height;

    GreyPlanes(Callable<InputStream> connect) {
        this.connect = connect;
    }

    /** The next picture (TYPE_BYTE_GRAY), or {@code null} at the end of the stream. */
    BufferedImage next() throws IOException {
        if (in == null) {
            open();
        }
        String line = line();
        if (line == null) {
            return null;
        }
        if (!line.startsWith("FRAME")) {
            throw new IOException("expected FRAME in the small pictures, got '" + line + "'");
        }
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        byte[] pixels = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        if (in.readNBytes(pixels, 0, pixels.length) < pixels.length) {
            throw new EOFException("the small pictures ended inside one");
        }
        return image;
    }

    private void open() throws IOException {
        try {
            in = new BufferedInputStream(connect.call(), 64 * 1024);
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("no small pictures: " + e.getMessage(), e);
        }
        String header = line();
        if (header == null || !header.startsWith("YUV4MPEG2 ")) {
            throw new IOException("the small pictures are not YUV4MPEG2");
        }
        for (String field : header.split(" ")) {
            if (field.startsWith("W")) {
                width = Integer.parseInt(field.substring(1));
            } else if (field.startsWith("H")) {
                height = Integer.parseInt(field.substring(1));
            } else if (field.startsWith("C") && !field.equals("Cmono")) {
                throw new IOException("the small pictures are not grey (" + field + ")");
            }
        }
        if (width <= 0 || height <= 0) {
            throw new IOException("the small pictures have no size: " + header);
        }
    }

    /** A header line (a few bytes, from the buffer), or {@code null} at the end of the stream. */
    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                if (line.size() == 0) {
                    return null;
                }
                throw new EOFException("the small pictures ended inside a header");
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        if (in != null) {
            in.close();
        }
    }
}
