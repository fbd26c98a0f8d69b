package dev.lookout.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ImageCipherTest {
    private static final byte[] NONCE = new byte[12];
    private static final byte[] HEADER = "header".getBytes();
    private static final byte[] PLAIN = "an image of somebody's front door".getBytes();
    private static final ImageCipher KEY = new ImageCipher(new byte[32]);

    @Test
    void roundTrips() throws ProtocolException {
        byte[] sealed = KEY.seal(NONCE, HEADER, PLAIN);
        assertEquals(PLAIN.length + ImageCipher.TAG_BYTES, sealed.length);
        assertArrayEquals(PLAIN, KEY.open(NONCE, HEADER, sealed));
    }

    @Test
    void everyChangedByteFailsAuthentication() {
        byte[] sealed = KEY.seal(NONCE, HEADER, PLAIN);
        for (int i = 0; i < sealed.length; i++) {
            byte[] tampered = sealed.clone();
            tampered[i] ^= 0x40;
            assertAuth(() -> KEY.open(NONCE, HEADER, tampered));
        }
        for (int i = 0; i < HEADER.length; i++) {
            byte[] header = HEADER.clone();
            header[i] ^= 0x01;
            assertAuth(() -> KEY.open(NONCE, header, sealed));
        }
        byte[] nonce = NONCE.clone();
        nonce[3] = 1;
        assertAuth(() -> KEY.open(nonce, HEADER, sealed));
    }

    @Test
    void theWrongKeyFailsAuthentication() {
        byte[] other = new byte[32];
        Arrays.fill(other, (byte) 1);
        byte[] sealed = KEY.seal(NONCE, HEADER, PLAIN);
        assertAuth(() -> new ImageCipher(other).open(NONCE, HEADER, sealed));
    }

    private interface Open {
        byte[] run() throws ProtocolException;
    }

    private static void assertAuth(Open open) {
        assertEquals(ErrorCode.AUTH, assertThrows(ProtocolException.class, open::run).code());
    }
}
