package dev.lookout.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class FrameHeaderTest {
    private static final byte[] ID = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    private static final byte[] DIGEST = new byte[32];
    private static final byte[] NONCE = {9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 1, 2};

    private static FrameHeader plain() {
        return new FrameHeader(0, ID, 1_777_890_030_456L, 123_456, DIGEST, null, "front-door_1.cam");
    }

    @Test
    void roundTripsAPlainHeader() throws ProtocolException {
        FrameHeader decoded = FrameHeader.decode(plain().encode());
        assertEquals(plain().camera(), decoded.camera());
        assertEquals(plain().captureMillis(), decoded.captureMillis());
        assertEquals(plain().length(), decoded.length());
        assertArrayEquals(ID, decoded.imageId());
        assertEquals("0102030405060708090a0b0c0d0e0f10", decoded.imageIdHex());
        assertEquals(false, decoded.encrypted());
        assertEquals(123_456, decoded.bodyLength());
    }

    @Test
    void roundTripsAnEncryptedHeaderWithTheClockFlag() throws ProtocolException {
        FrameHeader header = new FrameHeader(FrameHeader.ENCRYPTED | FrameHeader.CLOCK_UNSYNCED, ID, -5, 1, DIGEST, NONCE, "c");
        FrameHeader decoded = FrameHeader.decode(header.encode());
        assertTrue(decoded.encrypted());
        assertTrue(decoded.clockUnsynced());
        assertArrayEquals(NONCE, decoded.nonce());
        assertEquals(-5, decoded.captureMillis());
        assertEquals(1 + ImageCipher.TAG_BYTES, decoded.bodyLength());
    }

    @Test
    void theLayoutIsAsDocumented() {
        byte[] raw = plain().encode();
        assertArrayEquals(new byte[] {'L', 'K', 'I', 'M', 1, 0}, Arrays.copyOf(raw, 6));
        assertEquals(raw.length, ByteBuffer.wrap(raw).getShort(6));
        assertEquals(8 + 16 + 8 + 4 + 32 + 1 + "front-door_1.cam".length(), raw.length);
        assertEquals(123_456, ByteBuffer.wrap(raw).getInt(32));
    }

    @Test
    void refusesABadMagic() {
        assertBad(b -> b.put(0, (byte) 'X'), "bad magic");
    }

    @Test
    void refusesAnotherVersion() {
        assertBad(b -> b.put(4, (byte) 2), "unsupported frame version 2");
    }

    @Test
    void refusesUnknownFlags() {
        assertBad(b -> b.put(5, (byte) 4), "unknown flags");
    }

    @Test
    void refusesAHeaderLengthBeyondTheCap() {
        assertBad(b -> b.putShort(6, (short) 513), "header too long");
    }

    @Test
    void refusesAHeaderLengthTooShort() {
        assertBad(b -> b.putShort(6, (short) 10), "header too short");
    }

    @Test
    void refusesALengthThatDisagreesWithTheCameraName() {
        assertBad(b -> b.put(68, (byte) 3), "does not fit");
    }

    @Test
    void refusesAnEmptyCameraName() {
        assertBad(b -> b.put(68, (byte) 0), "camera name length 0");
    }

    @Test
    void refusesANonPositiveImageLength() {
        assertBad(b -> b.putInt(32, 0), "image length out of range");
        assertBad(b -> b.putInt(32, -1), "image length out of range: 4294967295");
    }

    /** The repro: ENCRYPTED and a header length of 70, too short for the nonce and a name. */
    @Test
    void refusesAnEncryptedHeaderTooShortForItsNonce() {
        byte[] raw = ByteBuffer.allocate(70).put(FrameHeader.MAGIC).put((byte) 1).put((byte) 1).putShort((short) 70)
                .put(new byte[24]).putInt(1).array();
        ProtocolException e = assertThrows(ProtocolException.class, () -> FrameHeader.decode(raw));
        assertEquals(ErrorCode.BAD_FRAME, e.code());
    }

    /** Every header length the cap allows, with every flag combination: a refusal or a header, nothing else. */
    @Test
    void everyHeaderLengthIsDecodedOrRefused() {
        for (int flags = 0; flags < 4; flags++) {
            for (int size = FrameHeader.FIXED_BYTES; size <= FrameHeader.MAX_BYTES; size++) {
                for (int nameLength : new int[] {1, size - 69, size - 81, 255}) {
                    byte[] full = new byte[FrameHeader.MAX_BYTES + 1];
                    ByteBuffer.wrap(full).put(FrameHeader.MAGIC).put((byte) 1).put((byte) flags).putShort((short) size)
                            .put(new byte[24]).putInt(1);
                    Arrays.fill(full, 81, full.length, (byte) 'c');
                    full[68] = (byte) nameLength;
                    full[80] = (byte) nameLength;
                    byte[] raw = Arrays.copyOf(full, size);
                    try {
                        FrameHeader.decode(raw);
                    } catch (ProtocolException refused) {
                        assertEquals(ErrorCode.BAD_FRAME, refused.code());
                    }
                }
            }
        }
    }

    private static void assertBad(Consumer<ByteBuffer> change, String message) {
        byte[] raw = plain().encode();
        change.accept(ByteBuffer.wrap(raw));
        ProtocolException e = assertThrows(ProtocolException.class, () -> FrameHeader.decode(raw));
        assertEquals(ErrorCode.BAD_FRAME, e.code());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}
