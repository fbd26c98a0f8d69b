package dev.lookout.receiver.store;

import dev.lookout.protocol.ErrorCode;
import dev.lookout.protocol.ProtocolException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.ZoneId;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The image tree: {@code <root>/<camera>/<YYYY-MM-DD>/<HH-MM-SS.mmm>.jpg} in the receiver's zone.
 *
 * <p>Guarantees: an image is written to a hidden temporary file in its day folder, fsynced, given
 * its capture time as mtime, and published under its final name with {@code link(2)}, which never
 * replaces an existing file (a taken name gets {@code -1}, {@code -2} …); the day folder is fsynced
 * before {@link #put} returns, so an acknowledged image survives a power cut. No partial file is
 * ever visible under a final name. An image id is remembered as a symlink in the day folder's
 * {@code .ids/}: the same id with the same bytes returns the stored path, with other bytes is a
 * {@link ErrorCode#REPLAY}. {@code <camera>/latest.jpg} is a symlink to the newest image, replaced
 * atomically, and the empty {@code <root>/.stored} is written again, so that a watcher of the root
 * (the gallery's {@code .path} unit) learns of every new image.
 *
 * <p>Not guaranteed: a crash between writing and publishing can leave a hidden {@code .*.part}
 * file behind; it is never shown under an image name. Publishing is serialised per JVM and, across
 * receiver processes, by a lock file {@code <camera>/.lock}.
 */
public final class ImageStore {
    private static final String LATEST = "latest.jpg";
    private static final String IDS = ".ids";
    /** Rewritten (empty) after each new image: a change in the root a systemd {@code .path} unit can watch. */
    public static final String STORED = ".stored";
    private static final int MAX_SUFFIX = 9999;
    /** File locks are held per process; this orders the threads of one process. */
    private static final ReentrantLock PUBLISH = new ReentrantLock();

    private final Path root;
    private final ZoneId zone;
    private final long minFreeBytes;

    public ImageStore(Path root, ZoneId zone, long minFreeBytes) {
        this.root = root;
        this.zone = zone;
        this.minFreeBytes = minFreeBytes;
    }

    public Path root() {
        return root;
    }

    /**
     * Stores one image and returns its path relative to the root, {@code /}-separated.
     *
     * @param camera  a name already checked with {@code CameraName}
     * @param imageId the sender's id in hex, or {@code null} for an upload without one
     * @throws ProtocolException {@link ErrorCode#FULL} below the free-space floor,
     *                           {@link ErrorCode#REPLAY} for a known id with other bytes
     */
    public String put(String camera, Instant capture, String imageId, byte[] jpeg)
            throws IOException, ProtocolException {
        long usable = root.toFile().getUsableSpace();
        if (usable - jpeg.length < minFreeBytes) {
            throw new ProtocolException(ErrorCode.FULL, "storage full: " + usable / (1024 * 1024)
                    + " MiB free, floor " + minFreeBytes / (1024 * 1024) + " MiB");
        }
        LocalDateTime local = LocalDateTime.ofInstant(capture, zone);
        Path cameraDir = directory(root, camera);
        String day = dayName(local);
        Path dayDir = directory(cameraDir, day);
        String base = timeName(local);
        Path temp = dayDir.resolve("." + base + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".part");
        try {
            writeDurably(temp, jpeg);
            Files.setLastModifiedTime(temp, FileTime.from(capture));
            try (Lock lock = lock(cameraDir)) {
                String name = imageId == null ? null : known(dayDir, imageId, jpeg);
                if (name == null) {
                    name = publish(temp, dayDir, base);
                    if (imageId != null) {
                        remember(dayDir, imageId, name);
                    }
                    fsync(dayDir);
                    updateLatest(cameraDir, day + "/" + name);
                    Files.write(root.resolve(STORED), new byte[0]);
                }
                return camera + "/" + day + "/" + name;
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** A camera folder's lock, held while images are published or removed there. */
    public interface Lock extends AutoCloseable {
        @Override
        void close() throws IOException;
    }

    /**
     * Locks {@code cameraDir} against other threads and processes that publish into it or remove
     * from it (the receiver, {@code prune}): {@code <camera>/.lock}, released by closing.
     */
    public static Lock lock(Path cameraDir) throws IOException {
        PUBLISH.lock();
        try {
            FileChannel file = FileChannel.open(cameraDir.resolve(".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            try {
                file.lock(); // released when the channel closes
            } catch (IOException | RuntimeException e) {
                file.close();
                throw e;
            }
            return () -> {
                try {
                    file.close();
                } finally {
                    PUBLISH.unlock();
                }
            };
        } catch (IOException | RuntimeException e) {
            PUBLISH.unlock();
            throw e;
        }
    }

    /** {@code YYYY-MM-DD}. (Formatted by hand: a DateTimeFormatter's set-up costs every short-lived receiver.) */
    static String dayName(LocalDateTime t) {
        return t.getYear() + "-" + two(t.getMonthValue()) + "-" + two(t.getDayOfMonth());
    }

    /** {@code HH-MM-SS.mmm}. */
    static String timeName(LocalDateTime t) {
        int millis = t.getNano() / 1_000_000;
        return two(t.getHour()) + "-" + two(t.getMinute()) + "-" + two(t.getSecond()) + "."
                + (millis < 100 ? "0" : "") + two(millis);
    }

    private static String two(int n) {
        return n < 10 ? "0" + n : Integer.toString(n);
    }

    /** The name stored earlier under {@code imageId}, or {@code null} when the id is new. */
    private static String known(Path dayDir, String imageId, byte[] jpeg) throws IOException, ProtocolException {
        Path marker = dayDir.resolve(IDS).resolve(imageId);
        if (!Files.isSymbolicLink(marker)) {
            return null;
        }
        Path stored = marker.resolveSibling(Files.readSymbolicLink(marker)).normalize();
        if (!Files.isRegularFile(stored)) {
            Files.delete(marker);
            return null;
        }
        if (!Arrays.equals(Files.readAllBytes(stored), jpeg)) {
            throw new ProtocolException(ErrorCode.REPLAY, "image id " + imageId + " was stored with other content");
        }
        return stored.getFileName().toString();
    }

    private static String publish(Path temp, Path dayDir, String base) throws IOException {
        for (int suffix = 0; suffix <= MAX_SUFFIX; suffix++) {
            String name = base + (suffix == 0 ? "" : "-" + suffix) + ".jpg";
            try {
                Files.createLink(dayDir.resolve(name), temp);
                return name;
            } catch (FileAlreadyExistsException taken) {
                // next suffix
            }
        }
        throw new IOException("more than " + MAX_SUFFIX + " images named " + base + " in " + dayDir);
    }

    private static void remember(Path dayDir, String imageId, String name) throws IOException {
        Path ids = dayDir.resolve(IDS);
        Files.createDirectories(ids);
        Files.createSymbolicLink(ids.resolve(imageId), Path.of("..", name));
        fsync(ids);
    }

    private static void updateLatest(Path cameraDir, String target) throws IOException {
        Path latest = cameraDir.resolve(LATEST);
        if (Files.isSymbolicLink(latest) && Files.readSymbolicLink(latest).toString().compareTo(target) > 0) {
            return;
        }
        Path temp = cameraDir.resolve(".latest-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        Files.createSymbolicLink(temp, Path.of(target));
        Files.move(temp, latest, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static Path directory(Path parent, String name) throws IOException {
        Path dir = parent.resolve(name);
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            fsync(parent);
        }
        return dir;
    }

    private static void writeDurably(Path file, byte[] bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
    }

    private static void fsync(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
