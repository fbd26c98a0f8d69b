package dev.lookout.receiver.archive;

import dev.lookout.exit.Failure;
import dev.lookout.exit.Sysexit;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Properties;
import java.util.Set;

/**
 * The bucket's access key and secret, from a file ({@code access-key=…}, {@code secret-key=…}) that
 * only its owner and group may read, like the receiver's key: never from the command line, where
 * any user sees it, and never in a message.
 */
public record Credentials(String accessKey, String secretKey) {
    private static final String ACCESS_KEY = "access-key";
    private static final String SECRET_KEY = "secret-key";

    /** Reads {@code file}; exit 78 when it is missing, unreadable, open to other users or incomplete. */
    public static Credentials read(Path file) throws Failure {
        Properties values = new Properties();
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
            if (mode.contains(PosixFilePermission.OTHERS_READ) || mode.contains(PosixFilePermission.OTHERS_WRITE)) {
                throw new Failure(Sysexit.CONFIG, "credentials file " + file
                        + " is open to other users; make it readable by its owner and group only (chmod 0640)");
            }
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                values.load(reader);
            }
        } catch (NoSuchFileException e) {
            throw new Failure(Sysexit.CONFIG, "credentials file " + file + " does not exist");
        } catch (IOException | IllegalArgumentException e) {
            throw new Failure(Sysexit.CONFIG, "cannot read credentials file " + file + ": " + e.getMessage());
        }
        if (!Set.of(ACCESS_KEY, SECRET_KEY).equals(values.stringPropertyNames())
                || values.getProperty(ACCESS_KEY).isBlank() || values.getProperty(SECRET_KEY).isBlank()) {
            throw new Failure(Sysexit.CONFIG, "credentials file " + file + " must hold two lines, "
                    + ACCESS_KEY + "=… and " + SECRET_KEY + "=…, and nothing else");
        }
        return new Credentials(values.getProperty(ACCESS_KEY).strip(), values.getProperty(SECRET_KEY).strip());
    }

    /** Never the secret. */
    @Override
    public String toString() {
        return "access key " + accessKey;
    }
}
