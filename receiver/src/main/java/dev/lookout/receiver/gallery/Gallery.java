package dev.lookout.receiver.gallery;

import dev.lookout.receiver.store.ImageTree;
import dev.lookout.receiver.store.ImageTree.Image;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.commons.io.file.PathUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The browsable gallery, written into the image root: {@code index.html} (cameras and their days,
 * newest first, with counts and the day's latest thumbnail) and, in the hidden {@code .gallery/},
 * a page per camera-day and the thumbnails. Incremental: a day whose folder has not changed since
 * the last run (its mtime, kept in {@code .gallery/days.tsv}) is neither listed nor written again,
 * and a thumbnail is made once. Every file is replaced atomically; runs are serialised by a lock.
 */
public final class Gallery {
    private static final Logger LOG = LoggerFactory.getLogger("lookout.gallery");
    private static final int PROGRESS_EVERY = 1000;
    /** Runs while images keep arriving, at most this many times. */
    private static final int MAX_PASSES = 10;

    private final Path root;

    public Gallery(Path root) {
        this.root = root;
    }

    /** What a run did. */
    public record Summary(int cameras, int days, int daysWritten, int images, int thumbnailsMade, int unreadable) {
    }

    /** A day as the last run saw it. */
    private record Seen(long folderNanos, int count, String newest) {
    }

    /**
     * Brings the gallery up to date, and again while images arrived meanwhile (the receiver rewrites
     * {@code .stored} after each): a run started by a {@code .path} unit misses none of a burst.
     */
    public Summary update() throws IOException {
        Path dir = Files.createDirectories(root.resolve(Layout.DIR));
        try (FileChannel lock = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            lock.lock();
            Thread warm = new Thread(Thumbnails::warmUp, "warm-up");
            warm.setDaemon(true);
            warm.start();
            Summary total = null;
            for (int pass = 0; pass < MAX_PASSES; pass++) {
                FileTime stored = ImageTree.storedTime(root);
                Summary s = updateLocked();
                total = total == null ? s : new Summary(s.cameras(), s.days(), total.daysWritten() + s.daysWritten(),
                        s.images(), total.thumbnailsMade() + s.thumbnailsMade(), total.unreadable() + s.unreadable());
                if (Objects.equals(stored, ImageTree.storedTime(root))) {
                    break;
                }
            }
            return total;
        }
    }

    /** A day folder, as found now. */
    private record DayFolder(String camera, String day, long folderNanos) {
        String key() {
            return camera + "/" + day;
        }
    }

    private Summary updateLocked() throws IOException {
        Map<String, Seen> before = readManifest();
        Map<String, Seen> now = new LinkedHashMap<>();
        Map<DayFolder, List<Image>> changed = new LinkedHashMap<>();
        List<Image> missing = new ArrayList<>();
        List<String> cameras = ImageTree.cameras(root);
        for (DayFolder folder : dayFolders(cameras)) {
            Seen seen = before.get(folder.key());
            if (seen != null && seen.folderNanos() == folder.folderNanos() && Files.exists(page(folder))) {
                now.put(folder.key(), seen);
            } else {
                List<Image> images = ImageTree.images(root, folder.camera(), folder.day());
                changed.put(folder, images);
                missing.addAll(withoutThumbnail(folder, images));
            }
        }
        // pages need no thumbnail to exist: both are written at once
        CompletableFuture<Integer> unreadable = CompletableFuture.supplyAsync(() -> {
            try {
                return makeThumbnails(missing);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, task -> new Thread(task, "thumbnails").start());
        for (Map.Entry<DayFolder, List<Image>> e : changed.entrySet()) {
            List<Image> images = e.getValue();
            if (!images.isEmpty()) {
                write(page(e.getKey()), Pages.day(e.getKey().camera(), e.getKey().day(), images));
                now.put(e.getKey().key(), new Seen(e.getKey().folderNanos(), images.size(), images.get(images.size() - 1).name()));
            }
        }
        removeGone(before.keySet(), now.keySet());
        List<Pages.Day> days = new ArrayList<>();
        now.forEach((key, seen) -> days.add(new Pages.Day(key.substring(0, key.indexOf('/')),
                key.substring(key.indexOf('/') + 1), seen.count(), seen.newest())));
        write(root.resolve("index.html"), Pages.index(cameras.stream()
                .filter(c -> days.stream().anyMatch(d -> d.camera().equals(c))).toList(), days));
        writeManifest(now);
        int failed = thumbnailsDone(unreadable);
        int written = (int) changed.values().stream().filter(images -> !images.isEmpty()).count();
        return new Summary(cameras.size(), now.size(), written, days.stream().mapToInt(Pages.Day::count).sum(),
                missing.size() - failed, failed);
    }

    private List<DayFolder> dayFolders(List<String> cameras) throws IOException {
        List<DayFolder> folders = new ArrayList<>();
        for (String camera : cameras) {
            for (String day : ImageTree.days(root, camera)) {
                folders.add(new DayFolder(camera, day, Files.getLastModifiedTime(root.resolve(camera).resolve(day),
                        LinkOption.NOFOLLOW_LINKS).to(TimeUnit.NANOSECONDS)));
            }
        }
        return folders;
    }

    /** The pages and thumbnails of days that are no more. */
    private void removeGone(Set<String> before, Set<String> now) throws IOException {
        for (String gone : before) {
            if (!now.contains(gone)) {
                Files.deleteIfExists(root.resolve(Layout.PAGES).resolve(gone + ".html"));
                Path thumbs = root.resolve(Layout.THUMBS).resolve(gone);
                if (Files.isDirectory(thumbs)) {
                    PathUtils.deleteDirectory(thumbs);
                }
            }
        }
    }

    private static int thumbnailsDone(CompletableFuture<Integer> unreadable) throws IOException {
        try {
            return unreadable.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            throw e;
        }
    }

    /** The images of a day that have no thumbnail yet; thumbnails of images gone are removed. */
    private List<Image> withoutThumbnail(DayFolder folder, List<Image> images) throws IOException {
        Path dir = thumbnail(folder.camera(), folder.day(), "");
        Set<String> names = new HashSet<>();
        List<Image> missing = new ArrayList<>();
        for (Image image : images) {
            names.add(image.name());
            if (!Files.exists(dir.resolve(image.name()))) {
                missing.add(image);
            }
        }
        if (Files.isDirectory(dir)) {
            try (Stream<Path> thumbs = Files.list(dir)) {
                for (Path thumb : thumbs.filter(t -> !names.contains(t.getFileName().toString())).toList()) {
                    Files.deleteIfExists(thumb);
                }
            }
        }
        return missing;
    }

    /** Makes thumbnails on every core, telling the progress of long runs; returns how many images were unreadable. */
    private int makeThumbnails(List<Image> images) throws IOException {
        if (images.size() >= PROGRESS_EVERY) {
            LOG.info("making {} thumbnails", images.size());
        }
        AtomicInteger done = new AtomicInteger();
        AtomicInteger unreadable = new AtomicInteger();
        try {
            (images.size() < 8 ? images.stream() : images.parallelStream()).forEach(image -> {
                try {
                    if (!Thumbnails.make(image.path(), thumbnail(image.camera(), image.day(), image.name()))) {
                        unreadable.incrementAndGet();
                        LOG.warn("not an image that can be read: {}", image.relative());
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                if (done.incrementAndGet() % PROGRESS_EVERY == 0) {
                    LOG.info("{} of {} thumbnails made", done.get(), images.size());
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return unreadable.get();
    }

    private Path thumbnail(String camera, String day, String name) {
        return root.resolve(Layout.THUMBS).resolve(camera).resolve(day).resolve(name);
    }

    private Path page(DayFolder folder) {
        return root.resolve(Layout.PAGES).resolve(folder.camera()).resolve(folder.day() + ".html");
    }

    private Map<String, Seen> readManifest() throws IOException {
        Map<String, Seen> seen = new LinkedHashMap<>();
        Path file = root.resolve(Layout.DIR).resolve("days.tsv");
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] f = line.split("\t");
                if (f.length == 4) {
                    try {
                        seen.put(f[0], new Seen(Long.parseLong(f[1]), Integer.parseInt(f[2]), f[3]));
                    } catch (NumberFormatException damaged) {
                        // that day is written again
                    }
                }
            }
        }
        return seen;
    }

    private void writeManifest(Map<String, Seen> days) throws IOException {
        StringBuilder text = new StringBuilder();
        days.forEach((key, s) -> text.append(key).append('\t').append(s.folderNanos()).append('\t').append(s.count())
                .append('\t').append(s.newest()).append('\n'));
        write(root.resolve(Layout.DIR).resolve("days.tsv"), text.toString());
    }

    /** Replaces {@code file} atomically, unless it already holds {@code text}. */
    private static void write(Path file, String text) throws IOException {
        if (Files.isRegularFile(file) && Files.readString(file, StandardCharsets.UTF_8).equals(text)) {
            return;
        }
        Files.createDirectories(file.getParent());
        Path temp = file.resolveSibling("." + file.getFileName() + ".part");
        Files.writeString(temp, text, StandardCharsets.UTF_8);
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
