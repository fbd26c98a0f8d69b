package dev.lookout.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The header in front of each framed image (version 1). All integers are big-endian.
 *
 * <pre>
 * offset size field
 *      0    4 magic "LKIM"
 *      4    1 version (1)
 *      5    1 flags: bit 0 ENCRYPTED, bit 1 CLOCK_UNSYNCED; other bits must be 0
 *      6    2 header length in bytes, these 8 included (at most {@value #MAX_BYTES})
 *      8   16 image id, unique per sender: the same id again is a retry of the same image
 *     24    8 capture time, milliseconds since 1970-01-01T00:00:00Z
 *     32    4 image length in bytes (the JPEG, before encryption)
 *     36   32 SHA-256 of the JPEG
 *     68   12 ChaCha20-Poly1305 nonce (only when ENCRYPTED)
 *    68/80  1 camera name length n (1..64)
 *           n camera name, ASCII
 * </pre>
 *
 * The image follows: {@code length} bytes, or {@code length + 16} (ciphertext and Poly1305 tag) when
 * encrypted, with the whole header as associated data.
 */
public record FrameHeader(int flags, byte[] imageId, long captureMillis, int length, byte[] sha256,
                          byte[] nonce, String camera) {
    public static final byte[] MAGIC = {'L', 'K', 'I', 'M'};
    public static final int VERSION = 1;
    public static final int FIXED_BYTES = 8;
    public static final int MAX_BYTES = 512;
    public static final int ID_BYTES = 16;
    public static final int DIGEST_BYTES = 32;
    public static final int ENCRYPTED = 1;
    public static final int CLOCK_UNSYNCED = 2;
    private static final int KNOWN_FLAGS = ENCRYPTED | CLOCK_UNSYNCED;
    private static final int MAX_CAMERA_BYTES = 64;

    public boolean encrypted() {
        return (flags & ENCRYPTED) != 0;
    }

    /** The sender's clock was not synchronised: the capture time is not to be trusted. */
    public boolean clockUnsynced() {
        return (flags & CLOCK_UNSYNCED) != 0;
    }

    /** Bytes of image data that follow the header on the wire (a long: the tag may pass the int range). */
    public long bodyLength() {
        return encrypted() ? (long) length + ImageCipher.TAG_BYTES : length;
    }

    public String imageIdHex() {
        return HexFormat.of().formatHex(imageId);
    }

    /** The header as sent. */
    public byte[] encode() {
        byte[] name = camera.getBytes(StandardCharsets.US_ASCII);
        int size = sizeFor(flags, name.length);
        ByteBuffer b = ByteBuffer.allocate(size);
        b.put(MAGIC).put((byte) VERSION).put((byte) flags).putShort((short) size);
        b.put(imageId).putLong(captureMillis).putInt(length).put(sha256);
        if (encrypted()) {
            b.put(nonce);
        }
        b.put((byte) name.length).put(name);
        return b.array();
    }

    /**
     * Checks the fixed part and returns the whole header's length.
     *
     * @throws ProtocolException {@link ErrorCode#BAD_FRAME} for a wrong magic or version, or a
     *         length outside what version 1 allows
     */
    public static int headerLength(byte[] fixed) throws ProtocolException {
        if (fixed.length < FIXED_BYTES) {
            throw bad("header too short: " + fixed.length + " bytes");
        }
        if (!Arrays.equals(fixed, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw bad("not a Lookout frame (bad magic)");
        }
        if (fixed[4] != VERSION) {
            throw bad("unsupported frame version " + (fixed[4] & 0xff));
        }
        int size = ((fixed[6] & 0xff) << 8) | (fixed[7] & 0xff);
        if (size > MAX_BYTES) {
            throw bad("header too long: " + size + " bytes, limit " + MAX_BYTES);
        }
        if (size < sizeFor(0, 1)) {
            throw bad("header too short: " + size + " bytes");
        }
        return size;
    }

    /** Decodes a whole header (the fixed part included), checking every field's range. */
    public static FrameHeader decode(byte[] header) throws ProtocolException {
        headerLength(header);
        ByteBuffer b = ByteBuffer.wrap(header);
        b.position(5);
        int flags = b.get() & 0xff;
        if ((flags & ~KNOWN_FLAGS) != 0) {
            throw bad("unknown flags 0x" + Integer.toHexString(flags));
        }
        if (header.length < sizeFor(flags, 1) || b.getShort() != header.length) {
            throw bad("header length " + header.length + " does not fit its flags 0x" + Integer.toHexString(flags));
        }
        byte[] id = new byte[ID_BYTES];
        b.get(id);
        long capture = b.getLong();
        int length = b.getInt();
        if (length <= 0) {
            throw bad("image length out of range: " + Integer.toUnsignedString(length));
        }
        byte[] digest = new byte[DIGEST_BYTES];
        b.get(digest);
        byte[] nonce = null;
        if ((flags & ENCRYPTED) != 0) {
            nonce = new byte[ImageCipher.NONCE_BYTES];
            b.get(nonce);
        }
        int nameLength = b.get() & 0xff;
        if (nameLength < 1 || nameLength > MAX_CAMERA_BYTES || header.length != sizeFor(flags, nameLength)) {
            throw bad("camera name length " + nameLength + " does not fit header length " + header.length);
        }
        byte[] name = new byte[nameLength];
        b.get(name);
        return new FrameHeader(flags, id, capture, length, digest, nonce, new String(name, StandardCharsets.UTF_8));
    }

    private static int sizeFor(int flags, int nameLength) {
        int nonce = (flags & ENCRYPTED) != 0 ? ImageCipher.NONCE_BYTES : 0;
        return FIXED_BYTES + ID_BYTES + 8 + 4 + DIGEST_BYTES + nonce + 1 + nameLength;
    }

    private static ProtocolException bad(String message) {
        return new ProtocolException(ErrorCode.BAD_FRAME, message);
    }
}
