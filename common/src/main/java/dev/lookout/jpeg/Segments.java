package dev.lookout.jpeg;

/**
 * Walks the marker segments of a JPEG held in a byte array (ITU T.81 B.1.1.2), bounds-checked, never
 * past its end nor backwards: each call of {@link #next} reads a marker (after any fill bytes FF),
 * and {@link #length} the length of its segment, when it has one; the walk goes on after the segment
 * unless {@link #moveTo} puts it elsewhere (after a scan's entropy-coded data, say). What a marker or
 * a misplaced byte means is the caller's: it is told, not judged. One walk per instance.
 */
public final class Segments {
    /** From {@link #next}: the bytes end (after fill bytes, if any). */
    public static final int END = -1;
    /** From {@link #next}: a byte other than FF where a marker must start, at {@link #offset}. */
    public static final int NOT_A_MARKER = -2;
    /** From {@link #length}: the bytes end inside the length field. */
    public static final int NO_LENGTH = -1;
    /** From {@link #length}: the length field is under 2 or the segment goes past the end. */
    public static final int BAD_LENGTH = -2;

    private final byte[] jpeg;
    private int at;
    private int offset;
    private int body;
    private int next;

    /** A walk of {@code jpeg} from {@code from} (2: after the SOI). */
    public Segments(byte[] jpeg, int from) {
        this.jpeg = jpeg;
        this.at = from;
    }

    /** The next marker (0–255), where the walk is; or {@link #END} or {@link #NOT_A_MARKER}. */
    public int next() {
        offset = at;
        if (at >= jpeg.length) {
            return END;
        }
        if (jpeg[at] != (byte) 0xFF) {
            return NOT_A_MARKER;
        }
        while (at < jpeg.length && jpeg[at] == (byte) 0xFF) {
            at++;
        }
        if (at >= jpeg.length) {
            return END;
        }
        offset = at;
        body = ++at;
        next = at;
        return jpeg[offset] & 0xFF;
    }

    /**
     * The length of the segment of the marker just read (its length field's value: the field and the
     * body), the walk then going on after it; or {@link #NO_LENGTH} or {@link #BAD_LENGTH}.
     */
    public int length() {
        if (at + 2 > jpeg.length) {
            return NO_LENGTH;
        }
        int length = (jpeg[at] & 0xFF) << 8 | jpeg[at + 1] & 0xFF;
        if (length < 2 || at + length > jpeg.length) {
            return BAD_LENGTH;
        }
        body = at + 2;
        next = at + length;
        at = next;
        return length;
    }

    /** Where the marker just read is (its code, after the FF), or where {@link #next} found no marker. */
    public int offset() {
        return offset;
    }

    /** Where the body of the segment just read starts (after its length field). */
    public int body() {
        return body;
    }

    /** Where the segment just read ends (or the marker, when it stands alone): the walk goes on there. */
    public int end() {
        return next;
    }

    /** Goes on from {@code position}, which must not be before where the walk is. */
    public void moveTo(int position) {
        if (position < at) {
            throw new IllegalArgumentException("a JPEG walk cannot go back from " + at + " to " + position);
        }
        at = position;
    }
}
