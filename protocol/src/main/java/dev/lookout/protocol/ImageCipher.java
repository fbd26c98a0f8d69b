package dev.lookout.protocol;

import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * ChaCha20-Poly1305 (RFC 8439, through the JCA) with the pre-shared 256-bit key: a fresh random
 * 96-bit nonce per image, the frame header as associated data, a 128-bit tag.
 *
 * <p>Why not AES-GCM: a Raspberry Pi 4 has no AES instructions, and a receiver started per
 * connection runs C1-compiled code, where the JDK's GCM has no intrinsics; ChaCha20-Poly1305 is
 * plain arithmetic, about four times faster per image there ({@code bench/run cipher}).
 */
public final class ImageCipher {
    public static final int NONCE_BYTES = 12;
    public static final int TAG_BYTES = 16;
    private static final String TRANSFORMATION = "ChaCha20-Poly1305";

    private final SecretKeySpec key;

    public ImageCipher(byte[] key) {
        if (key.length != PresharedKey.BYTES) {
            throw new IllegalArgumentException("key must be " + PresharedKey.BYTES + " bytes");
        }
        this.key = new SecretKeySpec(key, "ChaCha20");
    }

    /** Encrypts {@code plain}; the result is the ciphertext followed by the 16-byte tag. */
    public byte[] seal(byte[] nonce, byte[] header, byte[] plain) {
        return seal(nonce, header, plain, 0, plain.length);
    }

    /** Encrypts {@code length} bytes of {@code data} from {@code offset}; the result is the ciphertext followed by the 16-byte tag. */
    public byte[] seal(byte[] nonce, byte[] header, byte[] data, int offset, int length) {
        try {
            return init(Cipher.ENCRYPT_MODE, nonce, header).doFinal(data, offset, length);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(TRANSFORMATION + " is not available", e);
        }
    }

    /**
     * Decrypts and authenticates {@code sealed}.
     *
     * @throws ProtocolException {@link ErrorCode#AUTH} when the key is wrong or any byte of the
     *         header or the image was changed
     */
    public byte[] open(byte[] nonce, byte[] header, byte[] sealed) throws ProtocolException {
        try {
            return init(Cipher.DECRYPT_MODE, nonce, header).doFinal(sealed);
        } catch (AEADBadTagException e) {
            throw new ProtocolException(ErrorCode.AUTH, "authentication failed (wrong key or altered data)");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(TRANSFORMATION + " is not available", e);
        }
    }

    private Cipher init(int mode, byte[] nonce, byte[] header) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance(TRANSFORMATION);
        cipher.init(mode, key, new IvParameterSpec(nonce));
        cipher.updateAAD(header);
        return cipher;
    }
}
