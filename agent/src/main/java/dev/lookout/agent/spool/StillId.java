package dev.lookout.agent.spool;

import dev.lookout.protocol.FrameHeader;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The one way a still gets its image id, given once where the still is born ({@link Upload#of}: a
 * capture by {@code run}, a JPEG taken in from the outbox, a file given to {@code send}): the first
 * {@value FrameHeader#ID_BYTES} bytes of the SHA-256 of its capture time (milliseconds, 8 bytes
 * big-endian) followed by the SHA-256 of its JPEG — the digest its frame header carries, so the JPEG
 * is hashed once. The same still sent again (a retry, a file sent twice with its mtime unchanged)
 * keeps its id, so the receiver stores it once; two snapshots of an unchanged scene differ in time
 * and are two stills.
 */
public final class StillId {
    private StillId() {
    }

    /** @param jpegSha256 the SHA-256 of the still's JPEG */
    public static byte[] of(long captureMillis, byte[] jpegSha256) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(ByteBuffer.allocate(Long.BYTES).putLong(captureMillis).array());
            return Arrays.copyOf(sha.digest(jpegSha256), FrameHeader.ID_BYTES);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
