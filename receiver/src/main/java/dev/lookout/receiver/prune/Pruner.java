package dev.lookout.receiver.prune;

import dev.lookout.receiver.archive.DayRecord;
import dev.lookout.receiver.store.ImageStore;
import dev.lookout.receiver.store.ImageTree;
import dev.lookout.receiver.store.ImageTree.Image;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.apache.commons.io.file.PathUtils;

/**
 * Retention: removes images by age ({@code keepDays}) and then, oldest first, until the images
 * take at most {@code maxBytes} and the disk has {@code minFree} free; per camera or for all.
 *
 * <p>Never removed: an image with a {@code .keep} file beside it ({@code NAME.jpg.keep}), anything
 * outside the day folders (a {@code keep/} folder, say), images of the last {@link #PROTECTED}
 * (so that arriving images are never touched) and of each camera's newest {@link #PROTECTED}
 * (its {@code latest.jpg} stays valid however old). A day folder left without images is removed
 * with its hidden {@code .ids/}; abandoned temporaries ({@code .*.part}) older than an hour go too.
 * With {@link Policy#archivedOnly}, an image not yet copied and verified by the archive stays too.
 * Removing holds the camera's lock, as the receiver does when publishing, so a late image that
 * arrives for an old day is either kept or, if its folder just went, answered {@code ERR io} and
 * sent again by the agent. {@link #plan} changes nothing; {@link #apply} removes exactly what it
 * returns, but what vanished meanwhile.
 */
public final class Pruner {
    /** How much of the newest images is never removed. */
    public static final Duration PROTECTED = Duration.ofHours(1);
    /** How long the id of a removed image is remembered, to refuse a replayed copy of it. */
    public static final Duration ID_MEMORY = Duration.ofDays(366);
    private static final long GIB = 1L << 30;

    /**
     * What to keep.
     *
     * @param keepDays images older than this many days go; 0 for no age limit
     * @param maxBytes the images may take at most this much; 0 for no limit
     * @param minFree  the disk must keep this much free; 0 for no floor
     * @param camera   only this camera's images; {@code null} for all
     * @param archivedOnly only images that the archive has copied and verified
     *                 ({@link DayRecord}); the others are kept
     */
    public record Policy(int keepDays, long maxBytes, long minFree, String camera, boolean archivedOnly) {
        public Policy {
            if (keepDays < 0 || maxBytes < 0 || minFree < 0) {
                throw new IllegalArgumentException("limits must not be negative");
            }
        }
    }

    /** One image to remove, and why. */
    public record Removal(Image image, String reason) {
    }

    /** What a plan or a run came to. */
    public record Outcome(List<Removal> removals, long bytes, int kept, int keptMarked, int keptUnarchived,
            boolean limitMissed) {
    }

    private final Path root;
    private final Policy policy;
    private final Instant now;
    private final LongSupplier usableSpace;

    /** @param usableSpace the free space of the image root's file system, asked once per plan */
    public Pruner(Path root, Policy policy, Instant now, LongSupplier usableSpace) {
        this.root = root;
        this.policy = policy;
        this.now = now;
        this.usableSpace = usableSpace;
    }

    /** What would be removed, oldest first; nothing is changed. */
    public Outcome plan() throws IOException {
        List<Image> candidates = new ArrayList<>();
        int marked = 0;
        int unarchived = 0;
        int count = 0;
        long total = 0;
        for (String camera : cameras()) {
            List<Image> images = new ArrayList<>();
            Set<Image> archived = new HashSet<>();
            for (String day : ImageTree.days(root, camera)) {
                List<Image> ofDay = ImageTree.images(root, camera, day);
                images.addAll(ofDay);
                if (policy.archivedOnly()) {
                    DayRecord record = DayRecord.read(root, camera, day);
                    ofDay.stream().filter(image -> record.contains(image.name())).forEach(archived::add);
                }
            }
            long newest = images.stream().mapToLong(Image::captureMillis).max().orElse(Long.MIN_VALUE);
            long protectedFrom = Math.min(newest, now.toEpochMilli()) - PROTECTED.toMillis();
            for (Image image : images) {
                count++;
                total += image.bytes();
                if (Files.exists(image.path().resolveSibling(image.name() + ".keep"), LinkOption.NOFOLLOW_LINKS)) {
                    marked++;
                } else if (policy.archivedOnly() && !archived.contains(image)) {
                    unarchived++;
                } else if (image.captureMillis() < protectedFrom) {
                    candidates.add(image);
                }
            }
        }
        candidates.sort(Comparator.comparingLong(Image::captureMillis).thenComparing(Image::relative));
        List<Removal> removals = new ArrayList<>();
        long ageLimit = policy.keepDays() > 0 ? now.minus(Duration.ofDays(policy.keepDays())).toEpochMilli() : Long.MIN_VALUE;
        long bytes = 0;
        long free = policy.minFree() > 0 ? usableSpace.getAsLong() : 0;
        long maxBytes = policy.maxBytes() > 0 ? policy.maxBytes() : Long.MAX_VALUE;
        for (Image image : candidates) {
            String reason;
            if (image.captureMillis() < ageLimit) {
                reason = "older than " + policy.keepDays() + " days";
            } else if (total - bytes > maxBytes) {
                reason = "images over " + size(maxBytes);
            } else if (policy.minFree() > 0 && free + bytes < policy.minFree()) {
                reason = "free space under " + size(policy.minFree());
            } else {
                continue;
            }
            removals.add(new Removal(image, reason));
            bytes += image.bytes();
        }
        boolean missed = total - bytes > maxBytes || policy.minFree() > 0 && free + bytes < policy.minFree();
        return new Outcome(removals, bytes, count - removals.size(), marked, unarchived, missed);
    }

    /**
     * Removes what {@link #plan} finds, telling {@code removed} of each image as it goes, then the
     * day folders left empty.
     */
    public Outcome apply(Consumer<Removal> removed) throws IOException {
        Outcome plan = plan();
        List<Removal> done = new ArrayList<>();
        long bytes = 0;
        for (Removal r : plan.removals()) {
            try (ImageStore.Lock lock = ImageStore.lock(r.image().path().getParent().getParent())) {
                if (Files.deleteIfExists(r.image().path())) {
                    done.add(r);
                    bytes += r.image().bytes();
                    removed.accept(r);
                }
            }
        }
        for (String camera : cameras()) {
            for (String day : ImageTree.days(root, camera)) {
                try (ImageStore.Lock lock = ImageStore.lock(root.resolve(camera))) {
                    tidy(root.resolve(camera).resolve(day));
                }
            }
            try (ImageStore.Lock lock = ImageStore.lock(root.resolve(camera))) {
                forgetOldIds(root.resolve(camera).resolve(ImageStore.IDS));
            }
        }
        return new Outcome(done, bytes, plan.kept(), plan.keptMarked(), plan.keptUnarchived(), plan.limitMissed());
    }

    /** The cameras in scope: the policy's, or all. */
    private List<String> cameras() throws IOException {
        return policy.camera() != null ? List.of(policy.camera()) : ImageTree.cameras(root);
    }

    /**
     * The ids of removed images are kept for {@link #ID_MEMORY}, so that a copy of an image replayed
     * meanwhile is refused; then they go.
     */
    private void forgetOldIds(Path ids) throws IOException {
        if (!Files.isDirectory(ids, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        long limit = now.minus(ID_MEMORY).toEpochMilli();
        try (Stream<Path> links = Files.list(ids)) {
            for (Path link : links.toList()) {
                if (!Files.exists(link) // follows the link: its image is gone
                        && Files.getLastModifiedTime(link, LinkOption.NOFOLLOW_LINKS).toMillis() < limit) {
                    Files.deleteIfExists(link);
                }
            }
        }
    }

    /** A day folder's stale ids (kept there by earlier versions) and old temporaries go, and the folder itself if it holds nothing else. */
    private void tidy(Path dayDir) throws IOException {
        long hourAgo = now.minus(Duration.ofHours(1)).toEpochMilli();
        try (Stream<Path> entries = Files.list(dayDir)) {
            for (Path p : entries.toList()) {
                String name = p.getFileName().toString();
                if (name.startsWith(".") && name.endsWith(".part") && Files.getLastModifiedTime(p).toMillis() < hourAgo) {
                    Files.deleteIfExists(p);
                }
            }
        }
        Path ids = dayDir.resolve(".ids");
        if (Files.isDirectory(ids, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> links = Files.list(ids)) {
                for (Path link : links.toList()) {
                    if (!Files.exists(link)) { // follows the link: its image is gone
                        Files.deleteIfExists(link);
                    }
                }
            }
        }
        try (Stream<Path> entries = Files.list(dayDir)) {
            if (entries.anyMatch(p -> !p.getFileName().toString().equals(".ids"))) {
                return;
            }
        }
        try {
            PathUtils.deleteDirectory(dayDir);
        } catch (DirectoryNotEmptyException arriving) {
            // an image arrives for this day just now: the folder stays
        }
    }

    /** A size as a person reads it: GiB or MiB. */
    public static String size(long bytes) {
        return bytes >= GIB ? String.format(java.util.Locale.ROOT, "%.1f GiB", bytes / (double) GIB)
                : String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
    }
}
