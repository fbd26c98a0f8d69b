package dev.lookout.receiver.support;

import dev.lookout.protocol.FrameWriter;
import dev.lookout.protocol.ImageCipher;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/** Framed uploads as an agent sends them, built with the protocol's own writer. */
public final class Uploads {
    /** 2026-05-04T10:20:30.456Z */
    public static final long CAPTURE = 1_777_890_030_456L;

    private Uploads() {
    }

    public static byte[] id(long n) {
        return ByteBuffer.allocate(16).putLong(0x4c4b).putLong(n).array();
    }

    /** One frame per image, ids 1, 2, …, capture times one second apart. */
    public static byte[] framed(ImageCipher cipher, String camera, byte[]... images) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FrameWriter writer = new FrameWriter(out, cipher);
        try {
            for (int i = 0; i < images.length; i++) {
                writer.write(camera, CAPTURE + i * 1000L, id(i + 1), false, images[i]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static byte[] frame(ImageCipher cipher, String camera, long capture, byte[] id, byte[] image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            new FrameWriter(out, cipher).write(camera, capture, id, false, image);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
