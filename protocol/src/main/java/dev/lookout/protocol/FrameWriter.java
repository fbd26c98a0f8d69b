package dev.lookout.protocol;

import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * Writes framed images to a stream: the sender's half of {@link FrameReader}.
 *
 * <p>An image can be written from its parts ({@link #write(String, long, byte[], boolean, byte[])},
 * which hashes it) or as a <em>clear frame</em> made once by {@link #clear} — its unencrypted header
 * and the image in one array, the form a sender can keep it in until it is acknowledged — which
 * {@link #write(FrameHeader, byte[])} sends unchanged without a key and sealed with one, hashing
 * nothing.
 */
public final class FrameWriter {
    private final OutputStream out;
    private final ImageCipher cipher;
    private final SecureRandom random = new SecureRandom();

    /** @param cipher the pre-shared key's cipher, or {@code null} to send in the clear */
    public FrameWriter(OutputStream out, ImageCipher cipher) {
        this.out = out;
        this.cipher = cipher;
    }

    /**
     * Writes one image. The caller flushes and, after the last image, half-closes.
     *
     * @param imageId        {@value FrameHeader#ID_BYTES} bytes naming this image for idempotent retries
     * @param clockUnsynced  the capture time came from a clock that was not synchronised
     */
    public void write(String camera, long captureMillis, byte[] imageId, boolean clockUnsynced, byte[] jpeg)
            throws IOException {
        FrameHeader header = header(camera, captureMillis, imageId, clockUnsynced, jpeg.length, sha256(jpeg));
        if (cipher == null) {
            out.write(header.encode());
            out.write(jpeg);
        } else {
            seal(header, jpeg, 0);
        }
    }

    /**
     * Writes a clear frame as {@link #clear} made it: as it is without a key; with one, under a
     * fresh nonce, its image sealed with the new header as associated data.
     *
     * @param header the frame's header, decoded or as given to {@link #clear}
     */
    public void write(FrameHeader header, byte[] frame) throws IOException {
        if (cipher == null) {
            out.write(frame);
        } else {
            seal(header, frame, frame.length - header.length());
        }
    }

    private void seal(FrameHeader clear, byte[] data, int offset) throws IOException {
        byte[] nonce = new byte[ImageCipher.NONCE_BYTES];
        random.nextBytes(nonce);
        FrameHeader header = new FrameHeader(clear.flags() | FrameHeader.ENCRYPTED, clear.imageId(),
                clear.captureMillis(), clear.length(), clear.sha256(), nonce, clear.camera());
        byte[] raw = header.encode();
        out.write(raw);
        out.write(cipher.seal(nonce, raw, data, offset, clear.length()));
    }

    /** The unencrypted header of an image whose SHA-256 is {@code sha256}. */
    public static FrameHeader header(String camera, long captureMillis, byte[] imageId, boolean clockUnsynced,
                                     int length, byte[] sha256) {
        return new FrameHeader(clockUnsynced ? FrameHeader.CLOCK_UNSYNCED : 0, imageId, captureMillis, length, sha256,
                null, camera);
    }

    /** A clear frame: {@code header} (unencrypted) followed by {@code jpeg}, in one array. */
    public static byte[] clear(FrameHeader header, byte[] jpeg) {
        if (header.encrypted() || header.length() != jpeg.length) {
            throw new IllegalArgumentException("not the clear header of this image");
        }
        byte[] raw = header.encode();
        byte[] frame = new byte[raw.length + jpeg.length];
        System.arraycopy(raw, 0, frame, 0, raw.length);
        System.arraycopy(jpeg, 0, frame, raw.length, jpeg.length);
        return frame;
    }

    /** SHA-256 of {@code data}. */
    public static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
