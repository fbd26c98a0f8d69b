package dev.lookout.protocol;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/** The key file both machines share: 32 random bytes, Base64 on one line, mode 0600. */
public final class PresharedKey {
    public static final int BYTES = 32;

    private PresharedKey() {
    }

    /**
     * Reads a key file.
     *
     * @throws IllegalArgumentException when the file does not hold a Base64 line of 32 bytes
     */
    public static byte[] read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
        byte[] key;
        try {
            key = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("key file " + file + " is not Base64");
        }
        if (key.length != BYTES) {
            throw new IllegalArgumentException("key file " + file + " holds " + key.length + " bytes, not " + BYTES);
        }
        return key;
    }

    /** A new random key. */
    public static byte[] random() {
        byte[] key = new byte[BYTES];
        new SecureRandom().nextBytes(key);
        return key;
    }

    /** What a key file holds for {@code key}: Base64 on one line. */
    public static byte[] encode(byte[] key) {
        return (Base64.getEncoder().encodeToString(key) + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Writes a new random key to {@code file}, created with mode 0600; never replaces a file. For
     * throwaway keys (tests, benchmarks, the receiver's CDS training run): its folder is not synced.
     * The programs' key files are written with {@code dev.lookout.files.DurableFile}, which this
     * module cannot use, having no dependencies.
     */
    public static void generate(Path file) throws IOException {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(file, encode(random()), StandardOpenOption.WRITE, StandardOpenOption.SYNC);
    }
}
