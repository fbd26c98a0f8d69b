package dev.lookout.protocol;

import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/** Writes framed images to a stream: the sender's half of {@link FrameReader}. */
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
        int flags = (cipher != null ? FrameHeader.ENCRYPTED : 0) | (clockUnsynced ? FrameHeader.CLOCK_UNSYNCED : 0);
        byte[] nonce = null;
        if (cipher != null) {
            nonce = new byte[ImageCipher.NONCE_BYTES];
            random.nextBytes(nonce);
        }
        FrameHeader header = new FrameHeader(flags, imageId, captureMillis, jpeg.length, sha256(jpeg), nonce, camera);
        byte[] raw = header.encode();
        out.write(raw);
        out.write(cipher != null ? cipher.seal(nonce, raw, jpeg) : jpeg);
    }

    /** An image id from the image itself (the first 16 bytes of its SHA-256): the same JPEG twice is one image. */
    public static byte[] contentId(byte[] jpeg) {
        return java.util.Arrays.copyOf(sha256(jpeg), FrameHeader.ID_BYTES);
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
