package dev.lookout.protocol;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads framed images from a stream, never buffering more than one image's bytes, and only as many
 * as have arrived: a header's announced length reserves no memory.
 */
public final class FrameReader {
    /** The largest array a JVM allocates. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private final InputStream in;
    private final long maxImageBytes;

    /** @param in a buffered stream; {@code maxImageBytes} bounds the image length a header may announce */
    public FrameReader(InputStream in, long maxImageBytes) {
        this.in = in;
        this.maxImageBytes = maxImageBytes;
    }

    /**
     * Reads the next header, or returns {@code null} when the sender half-closed between frames.
     *
     * @throws ProtocolException {@link ErrorCode#BAD_FRAME}, {@link ErrorCode#TRUNCATED} or
     *         {@link ErrorCode#TOO_LARGE}; the stream is then out of step and must be abandoned
     */
    public Frame next() throws IOException, ProtocolException {
        int first = in.read();
        if (first < 0) {
            return null;
        }
        byte[] fixed = new byte[FrameHeader.FIXED_BYTES];
        fixed[0] = (byte) first;
        readFully(fixed, 1, fixed.length - 1, "header");
        byte[] raw = new byte[FrameHeader.headerLength(fixed)];
        System.arraycopy(fixed, 0, raw, 0, fixed.length);
        readFully(raw, fixed.length, raw.length - fixed.length, "header");
        FrameHeader header = FrameHeader.decode(raw);
        if (header.length() > maxImageBytes) {
            throw new ProtocolException(ErrorCode.TOO_LARGE,
                    "image of " + header.length() + " bytes exceeds the limit of " + maxImageBytes);
        }
        if (header.bodyLength() > MAX_ARRAY) {
            throw new ProtocolException(ErrorCode.TOO_LARGE, "image of " + header.length() + " bytes is too large to hold");
        }
        byte[] body = in.readNBytes((int) header.bodyLength()); // grows with what arrives
        if (body.length < header.bodyLength()) {
            throw new ProtocolException(ErrorCode.TRUNCATED, "connection ended inside the image");
        }
        return new Frame(header, raw, body);
    }

    private void readFully(byte[] buffer, int offset, int length, String what) throws IOException, ProtocolException {
        if (in.readNBytes(buffer, offset, length) < length) {
            throw new ProtocolException(ErrorCode.TRUNCATED, "connection ended inside the " + what);
        }
    }

    /** One frame as read: its decoded header, the header bytes as sent, and the image bytes as sent. */
    public record Frame(FrameHeader header, byte[] rawHeader, byte[] body) {
    }
}
