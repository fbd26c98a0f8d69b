package dev.lookout.protocol;

import java.util.Locale;

/**
 * Why the receiver refused an image, as sent on the wire in an {@code ERR} reply line.
 *
 * <p>A sender keeps a {@linkplain #retryable() retryable} image and tries again later; any other
 * code means the image itself will never be accepted and must be set aside.
 */
public enum ErrorCode {
    /** The bytes are not a Lookout frame, or a header field is out of range. Ends the connection. */
    BAD_FRAME(false),
    /** The stream ended inside a header or an image. */
    TRUNCATED(true),
    /** The image is larger than the receiver accepts. Ends the connection. */
    TOO_LARGE(false),
    /** The image is not a well-formed JPEG, or its digest does not match. */
    BAD_IMAGE(false),
    /** The camera name is not {@code [A-Za-z0-9._-]{1,64}}, starts with a dot, or is reserved ({@link CameraName}). */
    BAD_CAMERA(false),
    /** Wrong key, tampered bytes, or a key mismatch between sender and receiver. */
    AUTH(true),
    /** An image with this id was already stored with different content. */
    REPLAY(false),
    /** Unframed uploads are not allowed by this receiver. */
    RAW_REFUSED(false),
    /** The connection carried no data. */
    EMPTY(false),
    /** The receiver's disk is below its free-space floor. */
    FULL(true),
    /** The receiver failed to store the image. */
    IO(true),
    /** The client was too slow: idle timeout or connection deadline. */
    TIMEOUT(true),
    /**
     * A receiver with a key found a header field out of range before it could authenticate the
     * header: the frame may have been altered on the way. Ends the connection. (Agents older than
     * this code take it, as any unknown code, for a retryable {@link #IO}.)
     */
    UNVERIFIED(true);

    private final boolean retryable;

    ErrorCode(boolean retryable) {
        this.retryable = retryable;
    }

    /** Whether a sender should keep the image and try again later. */
    public boolean retryable() {
        return retryable;
    }

    /** The token on the wire, e.g. {@code bad-image}. */
    public String token() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The code for a wire token, or {@code null} when this version does not know it. */
    public static ErrorCode fromToken(String token) {
        for (ErrorCode code : values()) {
            if (code.token().equals(token)) {
                return code;
            }
        }
        return null;
    }
}
