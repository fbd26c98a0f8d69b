package dev.lookout.receiver.archive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A still's checksums, read in one pass: SHA-256 (kept in the record and the object's metadata)
 * and MD5 (sent as {@code Content-MD5}, which every S3 server checks before it stores an object).
 */
record Digest(String sha256, byte[] md5, long bytes) {
    static Digest of(Path file) throws IOException {
        MessageDigest sha = algorithm("SHA-256");
        MessageDigest md5 = algorithm("MD5");
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; total += n) {
                sha.update(buffer, 0, n);
                md5.update(buffer, 0, n);
            }
        }
        return new Digest(HexFormat.of().formatHex(sha.digest()), md5.digest(), total);
    }

    String md5Base64() {
        return Base64.getEncoder().encodeToString(md5);
    }

    /** Whether {@code etag} (quoted or not) is this MD5, as a store answers for an object written in one piece. */
    boolean matchesEtag(String etag) {
        return etag != null && etag.replace("\"", "").equalsIgnoreCase(HexFormat.of().formatHex(md5));
    }

    private static MessageDigest algorithm(String name) {
        try {
            return MessageDigest.getInstance(name);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(name + " is part of every Java runtime", e);
        }
    }
}
