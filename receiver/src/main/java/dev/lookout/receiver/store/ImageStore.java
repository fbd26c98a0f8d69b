package dev.lookout.receiver.store;

import dev.lookout.files.DurableFile;
import dev.lookout.protocol.ErrorCode;
import dev.lookout.protocol.ProtocolException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.ZoneId;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.TimeZone;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The image tree: {@code <root>/<camera>/<YYYY-MM-DD>/<HH-MM-SS.mmm>.jpg} in the receiver's zone.
 *
 * <p>Guarantees: an image is written to a hidden temporary file in its day folder, fsynced, given
 * its capture time as mtime, and published under its final name with {@code link(2)}, which never
 * replaces an existing file (a taken name gets {@code -1}, {@code -2} …); the day folder is fsynced
 * before {@link #put} returns, so an acknowledged image survives a power cut. No partial file is
 * ever visible under a final name. An image id is remembered per camera, whatever day folder the
 * image lands in, as a symlink {@code <camera>/.ids/<id>} to the image. Remembering takes two steps
 * around publishing, so that a stored image is always a remembered one and a crash at any point
 * leaves nothing that refuses a retry: a pending link {@code <id>.pending} to the name about to be
 * taken is written (and synced) <em>before</em> the image is published, and renamed to {@code <id>}
 * after. A pending link found later is a publication cut short: if its image is there with the same
 * bytes, it is finished and the image's path answered; otherwise it is dropped and the image stored
 * anew. The same id with the same bytes returns the stored path; with other bytes, or once the image
 * was removed, it is a {@link ErrorCode#REPLAY} — both answered before anything is written, also
 * below the free-space floor. Once an image is published, {@code put} answers its path: what follows
 * ({@code <camera>/latest.jpg}, a symlink to the newest image replaced atomically, and the empty
 * {@code <root>/.stored} written again for a watcher of the root such as the gallery's {@code .path}
 * unit) is logged when it fails, never reported as a failure to store.
 *
 * <p>Below the root nothing is followed: a symbolic link where a camera, day or id folder is
 * expected is refused with an {@link IOException}, and the lock, the temporaries and {@code .stored}
 * are opened without following links.
 *
 * <p>Not guaranteed: a crash between writing and publishing can leave a hidden {@code .*.part}
 * file behind; it is never shown under an image name. Publishing is serialised per JVM and, across
 * receiver processes, by a lock file {@code <camera>/.lock}.
 */
public final class ImageStore {
    private static final String LATEST = "latest.jpg";
    /** A camera's remembered image ids. */
    public static final String IDS = ".ids";
    /** The suffix of an id whose image is being published. */
    private static final String PENDING = ".pending";
    /** A camera folder's lock file. */
    private static final String LOCK = ".lock";
    /** Rewritten (empty) after each new image: a change in the root a systemd {@code .path} unit can watch. */
    public static final String STORED = ".stored";
    private static final int MAX_SUFFIX = 9999;
    /** File locks are held per process; this orders the threads of one process. */
    private static final ReentrantLock PUBLISH = new ReentrantLock();

    private final Path root;
    private final TimeZone zone;
    private final long minFreeBytes;

    public ImageStore(Path root, ZoneId zone, long minFreeBytes) {
        this(root, TimeZone.getTimeZone(zone), minFreeBytes);
    }

    /**
     * With the zone as a {@link TimeZone}: the system's ({@link TimeZone#getDefault()}) costs a
     * socket-activated receiver a quarter of what {@code ZoneId.systemDefault()} does, which
     * sets up java.time's zone rules provider and reads the zone database a second time.
     */
    public ImageStore(Path root, TimeZone zone, long minFreeBytes) {
        this.root = root;
        this.zone = zone;
        this.minFreeBytes = minFreeBytes;
    }

    /**
     * The logger, made only when a failure is logged: making the first one sets up the logging,
     * which a socket-activated receiver does after the client has its answer (ConnectionReport).
     */
    private static Logger log() {
        return LoggerFactory.getLogger("lookout.receiver");
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
     * @throws IOException       when the image could not be stored (it is then not stored)
     */
    public String put(String camera, Instant capture, String imageId, byte[] jpeg)
            throws IOException, ProtocolException {
        String known = imageId == null ? null : knownAlready(camera, imageId, jpeg);
        if (known != null) {
            return known;
        }
        long usable = root.toFile().getUsableSpace();
        if (usable - jpeg.length < minFreeBytes) {
            throw new ProtocolException(ErrorCode.FULL, "storage full: " + usable / (1024 * 1024)
                    + " MiB free, floor " + minFreeBytes / (1024 * 1024) + " MiB");
        }
        LocalDateTime local = LocalDateTime.ofEpochSecond(capture.getEpochSecond(), capture.getNano(),
                ZoneOffset.ofTotalSeconds(zone.getOffset(capture.toEpochMilli()) / 1000));
        Path cameraDir = directory(root, camera);
        String day = dayName(local);
        Path dayDir = directory(cameraDir, day);
        String base = timeName(local);
        Path temp = dayDir.resolve("." + base + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".part");
        try {
            DurableFile.writeNew(temp, jpeg);
            Files.setLastModifiedTime(temp, FileTime.from(capture));
            try (Lock lock = lock(cameraDir)) {
                known = imageId == null ? null : known(cameraDir, imageId, jpeg);
                if (known != null) {
                    return camera + "/" + known;
                }
                String path = day + "/" + publish(temp, cameraDir, day, base, imageId);
                announce(cameraDir, path);
                return camera + "/" + path;
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
            FileChannel file = openLock(cameraDir.resolve(LOCK));
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

    private static FileChannel openLock(Path file) throws IOException {
        try {
            return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        } catch (FileSystemException e) {
            if (Files.isSymbolicLink(file)) {
                throw new IOException(file + " is a symbolic link; the receiver follows none below its root");
            }
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

    /**
     * A retry or a replay of an image stored before, answered before anything is written (also on
     * a full disk): its path from the root, else {@code null} (the id is new, or was left pending).
     */
    private String knownAlready(String camera, String imageId, byte[] jpeg) throws IOException, ProtocolException {
        Path cameraDir = root.resolve(camera);
        Path ids = cameraDir.resolve(IDS);
        if (!Files.isDirectory(cameraDir, LinkOption.NOFOLLOW_LINKS) || !Files.isDirectory(ids, LinkOption.NOFOLLOW_LINKS)
                || !Files.isSymbolicLink(ids.resolve(imageId))) {
            return null;
        }
        try (Lock lock = lock(cameraDir)) {
            String known = known(cameraDir, imageId, jpeg);
            return known == null ? null : camera + "/" + known;
        }
    }

    /** The path (from the camera folder) stored earlier under {@code imageId}, or {@code null} when the id is new. */
    private static String known(Path cameraDir, String imageId, byte[] jpeg) throws IOException, ProtocolException {
        Path ids = cameraDir.resolve(IDS);
        Path marker = ids.resolve(imageId);
        if (!Files.isSymbolicLink(marker)) {
            return unfinished(cameraDir, ids.resolve(imageId + PENDING), marker, jpeg);
        }
        Path stored = target(cameraDir, marker);
        if (stored == null) {
            throw new ProtocolException(ErrorCode.REPLAY, "image id " + imageId + " was stored before and has since been removed");
        }
        if (!Arrays.equals(Files.readAllBytes(stored), jpeg)) {
            throw new ProtocolException(ErrorCode.REPLAY, "image id " + imageId + " was stored with other content");
        }
        return cameraDir.relativize(stored).toString();
    }

    /**
     * A publication a crash cut short, found by its pending link: the image's path when it was
     * published with these bytes (the link is then finished), else {@code null} (the link goes).
     */
    private static String unfinished(Path cameraDir, Path pending, Path marker, byte[] jpeg) throws IOException {
        if (!Files.isSymbolicLink(pending)) {
            return null;
        }
        Path stored = target(cameraDir, pending);
        if (stored != null && Arrays.equals(Files.readAllBytes(stored), jpeg)) {
            finish(pending, marker);
            return cameraDir.relativize(stored).toString();
        }
        Files.delete(pending);
        return null;
    }

    /** The image an id link points at, or {@code null} when it is not (or no longer) a stored image. */
    private static Path target(Path cameraDir, Path link) throws IOException {
        Path stored = link.getParent().resolve(Files.readSymbolicLink(link)).normalize();
        return stored.startsWith(cameraDir) && stored.getNameCount() == cameraDir.getNameCount() + 2
                && Files.isRegularFile(stored, LinkOption.NOFOLLOW_LINKS) ? stored : null;
    }

    /**
     * Publishes {@code temp} under the first free name for {@code base} and returns that name. The
     * id is remembered first as pending, pointing at the name about to be taken, so that an image is
     * never visible without its id; if publishing fails, the id is forgotten again, and once the
     * image is published the id is finished.
     */
    private static String publish(Path temp, Path cameraDir, String day, String base, String imageId) throws IOException {
        Path dayDir = cameraDir.resolve(day);
        for (int suffix = 0; suffix <= MAX_SUFFIX; suffix++) {
            String name = base + (suffix == 0 ? "" : "-" + suffix) + ".jpg";
            Path image = dayDir.resolve(name);
            if (Files.exists(image, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            Path pending = imageId == null ? null : remember(cameraDir, imageId, day + "/" + name);
            try {
                Files.createLink(image, temp);
            } catch (FileAlreadyExistsException taken) {
                forget(pending); // someone else's file, put there meanwhile: next suffix
                continue;
            } catch (IOException | RuntimeException e) {
                forget(pending);
                throw e;
            }
            try { // published: from here on the image's path is the answer, whatever fails
                DurableFile.syncFolder(dayDir);
                if (pending != null) {
                    finish(pending, cameraDir.resolve(IDS).resolve(imageId));
                }
            } catch (IOException | RuntimeException e) {
                log().warn("stored {}/{}/{} but could not sync its folder or finish its id (a retry finds it): {}",
                        cameraDir.getFileName(), day, name, e.toString());
            }
            return name;
        }
        throw new IOException("more than " + MAX_SUFFIX + " images named " + base + " in " + dayDir);
    }

    /** Remembers {@code imageId} as pending, a link to {@code path} (from the camera folder), synced to disk. */
    private static Path remember(Path cameraDir, String imageId, String path) throws IOException {
        Path ids = directory(cameraDir, IDS);
        Path pending = ids.resolve(imageId + PENDING);
        Files.deleteIfExists(pending);
        Files.createSymbolicLink(pending, Path.of("..", path));
        DurableFile.syncFolder(ids);
        return pending;
    }

    /** Turns a pending id into a remembered one, synced to disk. */
    private static void finish(Path pending, Path marker) throws IOException {
        Files.move(pending, marker, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        DurableFile.syncFolder(marker.getParent());
    }

    private static void forget(Path marker) {
        if (marker == null) {
            return;
        }
        try {
            Files.deleteIfExists(marker);
        } catch (IOException e) {
            log().warn("could not remove the id {} of an image not stored: {}", marker, e.toString());
        }
    }

    /** Tells of a published image: latest.jpg and .stored. A failure here is logged: the image is stored. */
    private void announce(Path cameraDir, String path) {
        try {
            updateLatest(cameraDir, path);
            Path stored = root.resolve(STORED);
            try (FileChannel signal = FileChannel.open(stored, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS)) {
                signal.force(false);
            }
        } catch (IOException e) {
            log().warn("stored {}/{} but could not update {} or {}: {}", cameraDir.getFileName(), path, LATEST, STORED,
                    e.toString());
        }
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

    /** {@code parent/name}, created if missing; a link or a file there is refused. */
    private static Path directory(Path parent, String name) throws IOException {
        Path dir = parent.resolve(name);
        try {
            Files.createDirectory(dir);
            DurableFile.syncFolder(parent);
        } catch (FileAlreadyExistsException exists) {
            BasicFileAttributes a = Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (a.isSymbolicLink()) {
                throw new IOException(dir + " is a symbolic link; the receiver follows none below its root");
            }
            if (!a.isDirectory()) {
                throw new IOException(dir + " is not a folder");
            }
        }
        return dir;
    }
}
