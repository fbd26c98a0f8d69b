package dev.lookout.agent.spool;

import dev.lookout.files.DurableFile;
import dev.lookout.protocol.FrameHeader;
import dev.lookout.protocol.ProtocolException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Pi-side outbox: every still waits here until the receiver has said {@code OK} for it.
 *
 * <p>An entry is one file, {@code <capture ms>-<image id>.frame}, holding the still in the form it
 * goes on the wire: an {@link Upload}'s clear frame (header and JPEG); names sort by capture time. Guarantees: {@link #add}
 * writes to a temporary name, fsyncs, renames and fsyncs the folder before it returns, so an added
 * still survives a crash or power cut, and no partial entry is ever visible under an entry name.
 * {@link #peek} never removes; an entry leaves only through {@link #remove} (after {@code OK}) or
 * {@link #reject} (moved to {@code rejected/} with the reason beside it). If the process dies
 * between sending and {@code remove}, the entry is sent again: the image id makes that retry
 * idempotent at the receiver.
 *
 * A failed {@link #add} removes its temporary file at once; only a crash can leave one, and the next
 * opening of the spool removes those older than a minute. On a full disk {@link #add} throws
 * {@link SpoolFullException}; {@link #importOutbox} then leaves the rest of the outbox where it is,
 * so that sending what waits, which frees the room, never depends on taking in more.
 *
 * <p>Not guaranteed: when the spool is over {@code maxBytes} or {@code maxFiles}, {@link #add} drops
 * the oldest entries (logged with their count) — an SD card must not fill up. Draining is serialised
 * between processes by {@link #drainLock()}; adding needs no lock.
 */
public final class Spool {
    private static final Logger LOG = LoggerFactory.getLogger(Spool.class);
    private static final String SUFFIX = ".frame";
    /** How the kernel's ENOSPC (no block or no inode left) reaches Java: only in the message. */
    private static final String NO_SPACE = "No space left on device";

    private final Path dir;
    private final long maxBytes;
    private final int maxFiles;

    public Spool(Path dir, long maxBytes, int maxFiles) throws IOException {
        this.dir = Files.createDirectories(dir);
        Files.createDirectories(outbox());
        this.maxBytes = maxBytes;
        this.maxFiles = maxFiles;
        removeAbandonedTemporaries();
    }

    /** A crash during {@link #add} leaves a temporary file; one older than a minute is nobody's any more. */
    private void removeAbandonedTemporaries() throws IOException {
        long cutoff = System.currentTimeMillis() - 60_000;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(p -> p.getFileName().toString().startsWith(".tmp-")).toList()) {
                if (Files.getLastModifiedTime(p).toMillis() < cutoff) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** Where other programs may drop JPEGs to be sent ({@link #importOutbox}). */
    public Path outbox() {
        return dir.resolve("outbox");
    }

    /** An entry: where it is, and the still it holds, read once. */
    public record Entry(Path path, Upload still) {
        public FrameHeader header() {
            return still.header();
        }
    }

    /** Adds a still durably, as it is: its frame is the entry's content. */
    public void add(Upload still) throws IOException {
        byte[] frame = still.frame();
        String name = String.format("%013d-%s%s", Math.max(0, still.header().captureMillis()), still.header().imageIdHex(), SUFFIX);
        Path target = dir.resolve(name);
        Path temp = dir.resolve(".tmp-" + name);
        try {
            DurableFile.write(temp, frame);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw String.valueOf(e.getMessage()).contains(NO_SPACE)
                    ? new SpoolFullException("spool full: no room in " + dir + " for a still of " + frame.length
                            + " bytes (" + NO_SPACE + "); it takes more once the stills waiting are sent", e)
                    : e;
        }
        DurableFile.syncFolder(dir);
        trim();
    }

    /** Up to {@code n} entries, oldest first, each read once. Removes nothing. */
    public List<Entry> peek(int n) throws IOException {
        List<Entry> entries = new ArrayList<>();
        for (Path path : entries()) {
            if (entries.size() == n) {
                break;
            }
            entries.add(new Entry(path, read(path)));
        }
        return entries;
    }

    /** How many entries wait. */
    public int size() throws IOException {
        return entries().size();
    }

    /** Deletes an entry the receiver acknowledged. */
    public void remove(Entry entry) throws IOException {
        Files.deleteIfExists(entry.path());
    }

    /** Moves an entry the receiver refused for good to {@code rejected/}, its reason beside it. */
    public void reject(Entry entry, String reason) throws IOException {
        Path rejected = Files.createDirectories(dir.resolve("rejected"));
        String name = entry.path().getFileName().toString();
        Files.writeString(rejected.resolve(name + ".reason"), reason + "\n", StandardCharsets.UTF_8);
        Files.move(entry.path(), rejected.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Turns the JPEGs dropped into {@link #outbox()} into entries (capture time: the file's mtime;
     * id: {@link StillId}, so the same file twice with its mtime unchanged is one image) and deletes them.
     * Names starting with a dot are left alone: that is where a writer puts a file it is still writing.
     * When the spool is full, the rest stays in the outbox (logged in one line) for a later call.
     *
     * @return how many were taken in
     */
    public int importOutbox(String camera) throws IOException {
        List<Path> dropped = outboxFiles();
        int taken = 0;
        for (Path file : dropped) {
            byte[] jpeg = Files.readAllBytes(file);
            try {
                add(Upload.of(camera, Files.getLastModifiedTime(file).toMillis(), false, jpeg));
            } catch (SpoolFullException e) {
                LOG.warn("{}: {} JPEGs wait in outbox/", e.getMessage(), dropped.size() - taken);
                return taken;
            }
            Files.delete(file);
            taken++;
        }
        return taken;
    }

    /** How many JPEGs wait in the outbox. */
    public int outboxSize() throws IOException {
        return outboxFiles().size();
    }

    private List<Path> outboxFiles() throws IOException {
        try (Stream<Path> files = Files.list(outbox())) {
            return files.filter(p -> !p.getFileName().toString().startsWith(".") && Files.isRegularFile(p))
                    .sorted().toList();
        }
    }

    /** Held by whoever drains the spool, so that two drainers never send the same entry at once. */
    public AutoCloseable drainLock() throws IOException {
        FileChannel channel = FileChannel.open(dir.resolve(".drain.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        channel.lock();
        return channel::close;
    }

    private List<Path> entries() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(SUFFIX) && !p.getFileName().toString().startsWith("."))
                    .sorted().toList();
        }
    }

    private static Upload read(Path path) throws IOException {
        try {
            return Upload.read(Files.readAllBytes(path));
        } catch (ProtocolException e) {
            throw new IOException("damaged spool entry " + path + ": " + e.getMessage(), e);
        }
    }

    /** Drops the oldest entries while the spool is over its bounds. */
    private void trim() throws IOException {
        List<Path> entries = entries();
        long bytes = 0;
        for (Path p : entries) {
            bytes += Files.size(p);
        }
        int dropped = 0;
        for (int i = 0; i < entries.size() - 1 && (entries.size() - dropped > maxFiles || bytes > maxBytes); i++) {
            bytes -= Files.size(entries.get(i));
            Files.deleteIfExists(entries.get(i));
            dropped++;
        }
        if (dropped > 0) {
            LOG.warn("spool full: dropped the {} oldest stills ({} files, {} bytes at most)", dropped, maxFiles, maxBytes);
        }
    }
}
