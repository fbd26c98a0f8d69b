package dev.lookout.receiver.archive;

import dev.lookout.exit.Failure;
import dev.lookout.exit.Sysexit;
import dev.lookout.receiver.store.ImageTree;
import dev.lookout.receiver.store.ImageTree.Image;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the stills of the image root that are not yet archived to the bucket, a few at once, and
 * records each in its day's {@link DayRecord} once the store has confirmed it. The records are
 * saved once a second and at the end, so a run killed at any moment loses at most the last second's
 * records, and the next run finds those stills in the bucket (the conditional write is refused, the
 * object's SHA-256 matches) without sending them again as new objects. A run that finds nothing new
 * does not contact the store.
 */
public final class Archiver {
    /** Uploads at once: enough to hide the round trips, few enough for a small machine and a home uplink. */
    static final int PARALLEL = 4;
    private static final long SAVE_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final Logger LOG = LoggerFactory.getLogger(Archiver.class);

    /**
     * What a run came to.
     *
     * @param stills       the stills under the root
     * @param before       of them, archived by earlier runs
     * @param copied       copied by this run
     * @param found        found in the bucket with the same bytes (copied by a run that was stopped before recording them)
     * @param conflicts    keys that hold other bytes, left alone
     * @param unreadable   stills that could not be read
     */
    public record Summary(int stills, int before, int copied, long bytes, int found, int conflicts, int unreadable) {
    }

    private record Pending(DayRecord record, Image image) {
    }

    private record Copy(Pending pending, Digest digest, Bucket.Outcome outcome) {
    }

    /** Passes at the most while stills keep arriving. */
    private static final int MAX_PASSES = 10;

    private final Path root;
    private final Target target;
    private final Credentials credentials;
    private final PrintWriter err;

    /** @param err where progress goes when it is a terminal */
    public Archiver(Path root, Target target, Credentials credentials, PrintWriter err) {
        this.root = root;
        this.target = target;
        this.credentials = credentials;
        this.err = err;
    }

    public Summary run() throws Failure, IOException {
        Path dir = Files.createDirectories(root.resolve(DayRecord.DIR));
        try (FileChannel lockFile = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
             FileLock lock = lockFile.tryLock()) {
            if (lock == null) {
                throw new Failure(Sysexit.TEMPFAIL, "another archive run is under way in " + root);
            }
            // again while stills arrived meanwhile: a .path unit does not start a service that runs
            Summary total = null;
            for (int pass = 0; pass < MAX_PASSES; pass++) {
                FileTime stored = ImageTree.storedTime(root);
                Summary s = pass();
                total = total == null ? s : new Summary(s.stills(), total.before(), total.copied() + s.copied(),
                        total.bytes() + s.bytes(), total.found() + s.found(), total.conflicts() + s.conflicts(),
                        total.unreadable() + s.unreadable());
                if (Objects.equals(stored, ImageTree.storedTime(root))) {
                    break;
                }
            }
            return total;
        }
    }

    /** One look at the tree: what is not archived yet, copied. */
    private Summary pass() throws Failure, IOException {
        List<Pending> pending = new ArrayList<>();
        int stills = 0;
        for (String camera : ImageTree.cameras(root)) {
            for (String day : ImageTree.days(root, camera)) {
                DayRecord record = DayRecord.read(root, camera, day);
                for (Image image : ImageTree.images(root, camera, day)) {
                    stills++;
                    if (!record.contains(image.name())) {
                        pending.add(new Pending(record, image));
                    }
                }
            }
        }
        if (pending.isEmpty()) {
            return new Summary(stills, stills, 0, 0, 0, 0, 0);
        }
        try (Bucket store = new Bucket(target, credentials)) {
            store.check();
            try (Progress progress = Progress.of(err, pending.size())) {
                return copy(store, pending, stills, progress);
            }
        }
    }

    private Summary copy(Bucket store, List<Pending> pending, int stills, Progress progress) throws Failure, IOException {
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
        CompletionService<Copy> results = new ExecutorCompletionService<>(pool);
        AtomicBoolean stop = new AtomicBoolean();
        Set<DayRecord> records = new LinkedHashSet<>();
        for (Pending p : pending) {
            records.add(p.record());
            results.submit(() -> stop.get() ? null : copy(store, p));
        }
        Failure fatal = null;
        int copied = 0;
        int found = 0;
        int conflicts = 0;
        int unreadable = 0;
        long bytes = 0;
        long saved = System.nanoTime();
        try {
            for (int i = 0; i < pending.size(); i++) {
                Copy copy;
                try {
                    copy = results.take().get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof Failure failure) {
                        fatal = fatal == null ? failure : fatal;
                        stop.set(true);
                    } else if (e.getCause() instanceof IOException unread) {
                        unreadable++;
                        LOG.error("cannot read a still: {}", unread.toString());
                    } else {
                        throw new IllegalStateException(e.getCause());
                    }
                    continue;
                }
                if (copy == null || copy.digest() == null) {
                    continue; // not started after a failure, or removed meanwhile
                }
                progress.step();
                Image image = copy.pending().image();
                switch (copy.outcome()) {
                    case COPIED -> {
                        copied++;
                        bytes += copy.digest().bytes();
                    }
                    case ALREADY_THERE -> found++;
                    case CONFLICT -> {
                        conflicts++;
                        LOG.warn("archive: the bucket holds other bytes under the key of {}; left alone, not archived",
                                image.relative());
                    }
                }
                if (copy.outcome() != Bucket.Outcome.CONFLICT) {
                    copy.pending().record().add(image.name(), copy.digest().sha256());
                }
                if (System.nanoTime() - saved > SAVE_NANOS) {
                    save(records);
                    saved = System.nanoTime();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure(Sysexit.TEMPFAIL, "interrupted");
        } finally {
            pool.shutdownNow();
            save(records);
        }
        if (fatal != null) {
            throw fatal;
        }
        return new Summary(stills, stills - pending.size(), copied, bytes, found, conflicts, unreadable);
    }

    private static Copy copy(Bucket store, Pending p) throws Failure, IOException {
        Image image = p.image();
        Digest digest;
        try {
            digest = Digest.of(image.path());
        } catch (NoSuchFileException gone) {
            return new Copy(p, null, null);
        }
        return new Copy(p, digest, store.put(image.relative(), image.path(), digest, image.captureMillis()));
    }

    private static void save(Set<DayRecord> records) throws IOException {
        for (DayRecord record : records) {
            record.save();
        }
    }
}
