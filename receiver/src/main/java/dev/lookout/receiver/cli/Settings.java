package dev.lookout.receiver.cli;

import dev.lookout.exit.Failure;
import dev.lookout.exit.Sysexit;
import dev.lookout.protocol.ImageCipher;
import dev.lookout.protocol.PresharedKey;
import dev.lookout.receiver.ingest.IngestPolicy;
import dev.lookout.receiver.ingest.Session;
import dev.lookout.receiver.launch.Launcher;
import dev.lookout.receiver.net.Endpoint;
import dev.lookout.receiver.store.ImageStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Properties;
import java.util.Set;
import java.util.TimeZone;
import picocli.CommandLine.Option;

/**
 * The receiver's settings, declared once: each is a long option, and under the same name without
 * dashes a key of the config file. The command line fills them through picocli (this class is its
 * mixin); a socket-activated connection fills them straight from the config file
 * ({@link #fromFile}), because building picocli's model costs more than the JVM's own start.
 */
public final class Settings {
    static final String DIR = "dir";
    static final String DIR_DEFAULT = "/var/lib/lookout/images";
    static final String KEY_FILE = "key-file";
    static final String ALLOW_RAW = "allow-raw";
    static final String MAX_BYTES = "max-bytes";
    static final String MAX_BYTES_DEFAULT = "32MiB";
    /** The largest max-bytes: an image is held in memory while it is checked and stored. */
    static final long MAX_BYTES_LIMIT = 1L << 30;
    static final String MIN_FREE = "min-free";
    static final String MIN_FREE_DEFAULT = "1GiB";
    static final String IDLE_TIMEOUT = "idle-timeout";
    static final String IDLE_TIMEOUT_DEFAULT = "10s";
    static final String DEADLINE = "deadline";
    static final String DEADLINE_DEFAULT = "120s";
    static final String TIME_ZONE = "time-zone";
    static final String LISTEN = "listen";
    static final String MAX_CONNECTIONS = "max-connections";
    static final String MAX_CONNECTIONS_DEFAULT = "16";
    static final String IDLE_EXIT = "idle-exit";
    static final String IDLE_EXIT_DEFAULT = "60s";
    /** The options of 'archive', which the receiver itself does not read. */
    static final String S3_ENDPOINT = "s3-endpoint";
    static final String S3_REGION = "s3-region";
    static final String S3_REGION_DEFAULT = "us-east-1";
    static final String S3_BUCKET = "s3-bucket";
    static final String S3_PREFIX = "s3-prefix";
    static final String S3_PATH_STYLE = "s3-path-style";
    static final String S3_CREDENTIALS = "s3-credentials";
    static final String S3_STORAGE_CLASS = "s3-storage-class";
    /** The option of 'prune' that its timer takes from the config file. */
    static final String ARCHIVED_ONLY = "archived-only";
    /** Every key a config file may hold. */
    static final Set<String> KEYS = Set.of(DIR, KEY_FILE, ALLOW_RAW, MAX_BYTES, MIN_FREE, IDLE_TIMEOUT, DEADLINE,
            TIME_ZONE, LISTEN, MAX_CONNECTIONS, IDLE_EXIT, S3_ENDPOINT, S3_REGION, S3_BUCKET, S3_PREFIX, S3_PATH_STYLE,
            S3_CREDENTIALS, S3_STORAGE_CLASS, ARCHIVED_ONLY);

    @Option(names = "--" + DIR, paramLabel = "DIR", defaultValue = DIR_DEFAULT,
            description = "Image root (default: ${DEFAULT-VALUE}); created if missing.")
    Path dir;

    @Option(names = "--" + KEY_FILE, paramLabel = "FILE",
            description = "Pre-shared key (see 'keygen'): framed images must be encrypted and authenticated with it.")
    Path keyFile;

    @Option(names = "--" + ALLOW_RAW, paramLabel = "BOOL", arity = "0..1", fallbackValue = "true",
            description = "Accept unframed JPEG uploads (cat x.jpg | nc -N host port)."
                    + " Default: true without --key-file, false with it.")
    Boolean allowRaw;

    @Option(names = "--" + MAX_BYTES, paramLabel = "SIZE", defaultValue = MAX_BYTES_DEFAULT,
            description = "Largest image accepted, at most 1GiB (default: ${DEFAULT-VALUE}).")
    ByteSize maxBytes;

    @Option(names = "--" + MIN_FREE, paramLabel = "SIZE", defaultValue = MIN_FREE_DEFAULT,
            description = "Refuse images ('ERR full') when the disk would keep less free space (default: ${DEFAULT-VALUE}).")
    ByteSize minFree;

    @Option(names = "--" + IDLE_TIMEOUT, paramLabel = "DURATION", defaultValue = IDLE_TIMEOUT_DEFAULT,
            description = "Longest wait for a client's next bytes (default: ${DEFAULT-VALUE}).")
    Duration idleTimeout;

    @Option(names = "--" + DEADLINE, paramLabel = "DURATION", defaultValue = DEADLINE_DEFAULT,
            description = "Longest a whole connection may take (default: ${DEFAULT-VALUE}).")
    Duration deadline;

    @Option(names = "--" + TIME_ZONE, paramLabel = "ZONE",
            description = "Zone for folder and file names (default: the system's).")
    ZoneId timeZone;

    @Option(names = "--" + LISTEN, paramLabel = "ADDRESS",
            description = "Listen by itself on HOST:PORT, :PORT or unix:PATH (ignored when a socket is inherited).")
    Endpoint listen;

    @Option(names = "--" + MAX_CONNECTIONS, paramLabel = "N", defaultValue = MAX_CONNECTIONS_DEFAULT,
            description = "Connections a listener serves at once (default: ${DEFAULT-VALUE}).")
    int maxConnections;

    @Option(names = "--" + IDLE_EXIT, paramLabel = "DURATION", defaultValue = IDLE_EXIT_DEFAULT,
            description = "An inherited listening socket exits after this long without connections"
                    + " (default: ${DEFAULT-VALUE}).")
    Duration idleExit;

    /**
     * The settings a config file gives, built-in defaults for the keys it lacks, converted as on the
     * command line. (Plain calls, no lambdas: this runs on every socket-activated connection.)
     */
    static Settings fromFile(Properties file) throws Failure {
        FileValues values = new FileValues(file);
        Settings s = new Settings();
        try {
            s.dir = Path.of(values.get(DIR, DIR_DEFAULT));
            s.keyFile = values.has(KEY_FILE) ? Path.of(values.get(KEY_FILE, null)) : null;
            s.allowRaw = values.has(ALLOW_RAW) ? bool(values.get(ALLOW_RAW, null)) : null;
            s.maxBytes = ByteSize.parse(values.get(MAX_BYTES, MAX_BYTES_DEFAULT));
            s.minFree = ByteSize.parse(values.get(MIN_FREE, MIN_FREE_DEFAULT));
            s.idleTimeout = Durations.parse(values.get(IDLE_TIMEOUT, IDLE_TIMEOUT_DEFAULT));
            s.deadline = Durations.parse(values.get(DEADLINE, DEADLINE_DEFAULT));
            s.timeZone = values.has(TIME_ZONE) ? ZoneId.of(values.get(TIME_ZONE, null)) : null;
            s.listen = values.has(LISTEN) ? new Endpoint(values.get(LISTEN, null)) : null;
            s.maxConnections = Integer.parseInt(values.get(MAX_CONNECTIONS, MAX_CONNECTIONS_DEFAULT));
            s.idleExit = Durations.parse(values.get(IDLE_EXIT, IDLE_EXIT_DEFAULT));
        } catch (RuntimeException e) {
            throw new Failure(Sysexit.CONFIG, "config key " + values.current + ": " + e.getMessage());
        }
        return s;
    }

    /** The receiver as configured; checks what the settings name (exit 78 when it is unusable). */
    Launcher launcher() throws Failure {
        if (maxBytes.bytes() < 1 || maxConnections < 1) {
            throw new Failure(Sysexit.USAGE, "--max-bytes and --max-connections must be positive");
        }
        if (maxBytes.bytes() > MAX_BYTES_LIMIT) {
            throw new Failure(Sysexit.USAGE, "--max-bytes is at most 1 GiB (an image is held in memory)");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new Failure(Sysexit.CONFIG, "cannot create image root " + dir + ": " + e);
        }
        if (!Files.isWritable(dir)) {
            throw new Failure(Sysexit.CONFIG, "image root " + dir + " is not writable");
        }
        ImageCipher cipher = null;
        if (keyFile != null) {
            cipher = new ImageCipher(readKey());
            ProviderOrder.sunJceFirst();
        }
        IngestPolicy policy = new IngestPolicy(cipher, allowRaw != null ? allowRaw : cipher == null, maxBytes.bytes(),
                idleTimeout, deadline);
        ImageStore store = new ImageStore(dir, timeZone != null ? TimeZone.getTimeZone(timeZone) : TimeZone.getDefault(),
                minFree.bytes());
        return new Launcher(policy, new Session(policy, store));
    }

    private byte[] readKey() throws Failure {
        try {
            return PresharedKey.read(keyFile);
        } catch (NoSuchFileException e) {
            throw new Failure(Sysexit.CONFIG, "key file " + keyFile + " does not exist (create one with 'keygen')");
        } catch (IOException e) {
            throw new Failure(Sysexit.CONFIG, "cannot read key file " + keyFile + ": " + e);
        } catch (IllegalArgumentException e) {
            throw new Failure(Sysexit.CONFIG, e.getMessage());
        }
    }

    static Boolean bool(String text) {
        if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException("'" + text + "' is not true or false");
        }
        return Boolean.valueOf(text);
    }

    /** Reads a config file's values, remembering the key last read for error messages. */
    private static final class FileValues {
        private final Properties file;
        private String current;

        FileValues(Properties file) {
            this.file = file;
        }

        boolean has(String key) {
            return file.getProperty(key) != null;
        }

        String get(String key, String fallback) {
            current = key;
            return file.getProperty(key, fallback).strip();
        }
    }
}
