package dev.lookout.receiver.validate;

import dev.lookout.jpeg.Segments;
import dev.lookout.protocol.ErrorCode;
import dev.lookout.protocol.ProtocolException;

/**
 * Checks that bytes are one complete baseline or progressive JPEG, as the JDK's decoder reads, without
 * decoding it: SOI, a walk over the marker segments, well-formed quantisation (DQT) and Huffman
 * (DHT) tables, one 8-bit baseline, extended or progressive Huffman frame header (SOF0-2) with sane
 * dimensions and components, scans (SOS) of that frame's components whose quantisation tables are
 * defined, and EOI. Huffman tables may be missing (a webcam's MJPEG frame): the standard ones apply.
 * Only zero or 0xFF padding may follow EOI.
 */
public final class JpegCheck {
    /** Largest width or height accepted. */
    public static final int MAX_DIMENSION = 16384;
    private static final int SOS = 0xDA;
    private static final int DQT = 0xDB;
    private static final int DHT = 0xC4;

    private JpegCheck() {
    }

    public static void check(byte[] b) throws ProtocolException {
        if (b.length < 4 || (b[0] & 0xff) != 0xFF || (b[1] & 0xff) != 0xD8) {
            throw bad("does not start with a JPEG SOI marker");
        }
        Frame frame = null;
        int quantTables = 0;
        boolean scan = false;
        Segments segments = new Segments(b, 2);
        while (true) {
            int marker = segments.next();
            if (marker == Segments.END) {
                break;
            }
            if (marker == Segments.NOT_A_MARKER) {
                throw bad("expected a marker at byte " + segments.offset());
            }
            int pos = segments.offset() + 1;
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
            int length = segments.length();
            if (length == Segments.NO_LENGTH) {
                break;
            }
            if (length == Segments.BAD_LENGTH) {
                int field = ((b[pos] & 0xff) << 8) | (b[pos + 1] & 0xff);
                throw bad(field < 2 ? "segment length " + field + " at byte " + pos : "truncated segment");
            }
            if (isFrameHeader(marker)) {
                if (frame != null) {
                    throw bad("a second frame header at byte " + pos);
                }
                frame = frame(b, marker, pos, length);
            } else if (marker == DQT) {
                quantTables |= quantisationTables(b, pos, length);
            } else if (marker == DHT) {
                checkHuffmanTables(b, pos, length);
            } else if (marker == SOS) {
                if (frame == null) {
                    throw bad("scan before frame header");
                }
                checkScan(b, pos, length, frame, quantTables);
                segments.moveTo(skipEntropyData(b, pos + length));
                scan = true;
            }
        }
        throw bad("truncated: no EOI marker");
    }

    private static boolean isFrameHeader(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }

    /** A frame's components: their ids and quantisation table numbers. */
    private record Frame(int[] ids, int[] quantTables) {
    }

    private static Frame frame(byte[] b, int marker, int pos, int length) throws ProtocolException {
        if (marker > 0xC2) {
            throw bad("frame type 0x" + Integer.toHexString(marker) + " (lossless, hierarchical or arithmetic) is not supported");
        }
        if (length < 8) {
            throw bad("frame header too short");
        }
        if (b[pos + 2] != 8) {
            throw bad("sample precision " + (b[pos + 2] & 0xff) + " (only 8 bits are supported)");
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
        int[] ids = new int[components];
        int[] tables = new int[components];
        for (int i = 0; i < components; i++) {
            int at = pos + 8 + 3 * i;
            int h = (b[at + 1] & 0xff) >> 4;
            int v = b[at + 1] & 0x0f;
            ids[i] = b[at] & 0xff;
            tables[i] = b[at + 2] & 0xff;
            if (h < 1 || h > 4 || v < 1 || v > 4 || tables[i] > 3) {
                throw bad("frame component " + ids[i] + " with sampling " + h + "x" + v + " and table " + tables[i]);
            }
        }
        return new Frame(ids, tables);
    }

    /** Checks a DQT segment and returns the tables it defines, one bit per table number. */
    private static int quantisationTables(byte[] b, int pos, int length) throws ProtocolException {
        int defined = 0;
        int at = pos + 2;
        while (at < pos + length) {
            int precision = (b[at] & 0xff) >> 4;
            int table = b[at] & 0x0f;
            if (precision > 1 || table > 3) {
                throw bad("quantisation table " + table + " of precision " + precision);
            }
            defined |= 1 << table;
            at += 1 + 64 * (precision + 1);
        }
        if (at != pos + length) {
            throw bad("quantisation table segment of length " + length);
        }
        return defined;
    }

    private static void checkHuffmanTables(byte[] b, int pos, int length) throws ProtocolException {
        int at = pos + 2;
        while (at < pos + length) {
            int kind = (b[at] & 0xff) >> 4;
            int table = b[at] & 0x0f;
            if (kind > 1 || table > 3 || at + 17 > pos + length) {
                throw bad("Huffman table " + table + " of class " + kind);
            }
            int codes = 0;
            for (int i = 1; i <= 16; i++) {
                codes += b[at + i] & 0xff;
            }
            if (codes > 256) {
                throw bad("Huffman table with " + codes + " codes");
            }
            at += 17 + codes;
        }
        if (at != pos + length) {
            throw bad("Huffman table segment of length " + length);
        }
    }

    private static void checkScan(byte[] b, int pos, int length, Frame frame, int quantTables) throws ProtocolException {
        int components = length > 2 ? b[pos + 2] & 0xff : 0;
        if (components < 1 || components > frame.ids().length || length != 6 + 2 * components) {
            throw bad("scan header with " + components + " components and length " + length);
        }
        for (int i = 0; i < components; i++) {
            int id = b[pos + 3 + 2 * i] & 0xff;
            int index = indexOf(frame.ids(), id);
            if (index < 0) {
                throw bad("scan of component " + id + ", which the frame lacks");
            }
            if ((quantTables & (1 << frame.quantTables()[index])) == 0) {
                throw bad("quantisation table " + frame.quantTables()[index] + " of component " + id + " is not defined");
            }
        }
    }

    private static int indexOf(int[] values, int value) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] == value) {
                return i;
            }
        }
        return -1;
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
