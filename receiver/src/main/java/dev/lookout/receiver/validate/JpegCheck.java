package dev.lookout.receiver.validate;

import dev.lookout.protocol.ErrorCode;
import dev.lookout.protocol.ProtocolException;

/**
 * Checks that bytes are one complete baseline or progressive JPEG without decoding it: SOI, a walk
 * over the marker segments, a frame header (SOF) with sane dimensions before the first scan (SOS),
 * entropy-coded data, and EOI. Only zero or 0xFF padding may follow EOI.
 */
public final class JpegCheck {
    /** Largest width or height accepted. */
    public static final int MAX_DIMENSION = 16384;

    private JpegCheck() {
    }

    public static void check(byte[] b) throws ProtocolException {
        if (b.length < 4 || (b[0] & 0xff) != 0xFF || (b[1] & 0xff) != 0xD8) {
            throw bad("does not start with a JPEG SOI marker");
        }
        boolean frame = false;
        boolean scan = false;
        int pos = 2;
        while (pos < b.length) {
            if ((b[pos] & 0xff) != 0xFF) {
                throw bad("expected a marker at byte " + pos);
            }
            while (pos < b.length && (b[pos] & 0xff) == 0xFF) {
                pos++;
            }
            if (pos >= b.length) {
                break;
            }
            int marker = b[pos++] & 0xff;
            if (marker == 0xD9) {
                if (!scan) {
                    throw bad("EOI before any image data");
                }
                checkPadding(b, pos);
                return;
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                continue;
            }
            if (marker == 0xD8 || marker == 0x00) {
                throw bad("unexpected marker 0x" + Integer.toHexString(marker) + " at byte " + (pos - 1));
            }
            if (pos + 2 > b.length) {
                break;
            }
            int length = ((b[pos] & 0xff) << 8) | (b[pos + 1] & 0xff);
            if (length < 2 || pos + length > b.length) {
                throw bad(length < 2 ? "segment length " + length + " at byte " + pos : "truncated segment");
            }
            if (isFrameHeader(marker)) {
                checkFrame(b, pos, length);
                frame = true;
            } else if (marker == 0xDA) {
                if (!frame) {
                    throw bad("scan before frame header");
                }
                pos = skipEntropyData(b, pos + length);
                scan = true;
                continue;
            }
            pos += length;
        }
        throw bad("truncated: no EOI marker");
    }

    private static boolean isFrameHeader(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }

    private static void checkFrame(byte[] b, int pos, int length) throws ProtocolException {
        if (length < 8) {
            throw bad("frame header too short");
        }
        int height = ((b[pos + 3] & 0xff) << 8) | (b[pos + 4] & 0xff);
        int width = ((b[pos + 5] & 0xff) << 8) | (b[pos + 6] & 0xff);
        int components = b[pos + 7] & 0xff;
        if (width < 1 || height < 1 || width > MAX_DIMENSION || height > MAX_DIMENSION) {
            throw bad("dimensions " + width + "x" + height + " out of range");
        }
        if (components < 1 || components > 4 || length != 8 + 3 * components) {
            throw bad("frame header with " + components + " components and length " + length);
        }
    }

    /** Returns the position of the 0xFF that starts the marker ending the entropy-coded data. */
    private static int skipEntropyData(byte[] b, int pos) {
        while (pos + 1 < b.length) {
            if ((b[pos] & 0xff) == 0xFF) {
                int next = b[pos + 1] & 0xff;
                if (next != 0x00 && next != 0xFF && (next < 0xD0 || next > 0xD7)) {
                    return pos;
                }
            }
            pos++;
        }
        return b.length;
    }

    private static void checkPadding(byte[] b, int pos) throws ProtocolException {
        for (int i = pos; i < b.length; i++) {
            if (b[i] != 0 && (b[i] & 0xff) != 0xFF) {
                throw bad("data after EOI");
            }
        }
    }

    private static ProtocolException bad(String reason) {
        return new ProtocolException(ErrorCode.BAD_IMAGE, "not a valid JPEG: " + reason);
    }
}
