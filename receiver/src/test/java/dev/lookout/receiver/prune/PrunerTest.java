package dev.lookout.receiver.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lookout.receiver.store.ImageStore;
import dev.lookout.receiver.support.ImageTrees;
import dev.lookout.receiver.support.Jpegs;
import dev.lookout.receiver.support.Trees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retention on real files: trees of thousands of images as the receiver lays them out. */
class PrunerTest {
    private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
    private static final byte[] JPEG = Jpegs.noise(64, 48, 1);

    @TempDir
    Path root;

    private static List<String> removed(Pruner.Outcome outcome) {
        return outcome.removals().stream().map(r -> r.image().relative()).toList();
    }

    private Pruner pruner(int keepDays, long maxBytes, long minFree, String camera) {
        return new Pruner(root, new Pruner.Policy(keepDays, maxBytes, minFree, camera, false), NOW, () -> Long.MAX_VALUE);
    }

    @Test
    void theIdOfARemovedImageIsKeptForAYearToRefuseReplays() throws IOException {
        Path ids = Files.createDirectories(root.resolve("door/.ids"));
        ImageTrees.write(root, "door", NOW.minus(Duration.ofDays(2)), Duration.ofMinutes(1), 1, JPEG);
        for (String id : List.of("young", "old")) {
            Files.createSymbolicLink(ids.resolve(id), Path.of("..", "2020-01-01", "00-00-00.000.jpg"));
        }
        Files.setAttribute(ids.resolve("old"), "lastModifiedTime",
                java.nio.file.attribute.FileTime.from(NOW.minus(Pruner.ID_MEMORY).minusSeconds(1)),
                java.nio.file.LinkOption.NOFOLLOW_LINKS);

        pruner(30, 0, 0, null).apply(r -> { });

        assertTrue(Files.isSymbolicLink(ids.resolve("young")));
        assertFalse(Files.isSymbolicLink(ids.resolve("old")));
    }

    @Test
    void byAgeOldestDaysGoButMarkedImagesAndKeepFoldersStay() throws IOException {
        // 40 days, an image every 30 minutes: 1,920 images
        List<String> all = ImageTrees.write(root, "door", NOW.minus(Duration.ofDays(40)), Duration.ofMinutes(30), 1920, JPEG);
        String marked = all.get(5);
        Files.createFile(root.resolve(marked + ".keep"));
        ImageTrees.write(root.resolve("door/keep"), "old", NOW.minus(Duration.ofDays(300)), Duration.ofMinutes(1), 3, JPEG);
        Files.createDirectories(root.resolve("door/2026-10-13/.ids"));
        Files.createSymbolicLink(root.resolve("door/2026-10-13/.ids/0011"), Path.of("..", "00-00-00.000.jpg"));

        Pruner.Outcome outcome = pruner(30, 0, 0, null).apply(r -> { });

        Instant limit = NOW.minus(Duration.ofDays(30));
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            if (NOW.minus(Duration.ofDays(40)).plus(Duration.ofMinutes(30L * i)).isBefore(limit) && i != 5) {
                expected.add(all.get(i));
            }
        }
        assertEquals(expected.size(), removed(outcome).size());
        assertTrue(expected.equals(removed(outcome)), "oldest first, the marked one spared");
        assertEquals(all.size() - expected.size(), outcome.kept());
        assertEquals(1, outcome.keptMarked());
        assertTrue(Files.exists(root.resolve(marked)));
        for (String gone : expected) {
            assertFalse(Files.exists(root.resolve(gone)), gone);
        }
        assertFalse(Files.exists(root.resolve("door/2026-10-14")), "an emptied day folder goes");
        assertFalse(Files.exists(root.resolve("door/2026-10-13/.ids/0011")), "with the ids of its images");
        assertTrue(Files.exists(root.resolve(marked).getParent()), "a day with a kept image stays");
        assertEquals(3, Trees.files(root.resolve("door/keep")).size(), "keep/ is never touched");
    }

    @Test
    void aSilentCamerasNewestHourStaysAndLatestStaysValid() throws IOException {
        List<String> old = ImageTrees.write(root, "garage", NOW.minus(Duration.ofDays(100)), Duration.ofMinutes(10), 20, JPEG);
        Files.createSymbolicLink(root.resolve("garage/latest.jpg"), Path.of(old.get(19).substring("garage/".length())));
        Pruner.Outcome outcome = pruner(30, 0, 0, null).apply(r -> { });
        assertEquals(old.subList(0, 13), removed(outcome), "all but the newest hour (the last 7, 60 minutes apart at most)");
        assertTrue(Files.exists(root.resolve("garage/latest.jpg")), "latest.jpg points at a kept image");
    }

    @Test
    void theLastHourIsNeverRemovedWhateverTheLimit() throws IOException {
        List<String> recent = ImageTrees.write(root, "door", NOW.minus(Duration.ofMinutes(50)), Duration.ofMinutes(1), 40,
                JPEG);
        Pruner.Outcome outcome = pruner(0, 1, 0, null).apply(r -> { });
        assertEquals(List.of(), removed(outcome));
        assertTrue(outcome.limitMissed(), "the size limit cannot be met");
        assertEquals(recent, Trees.images(root));
    }

    @Test
    void bySizeOldestFirstAcrossCamerasOrForOne() throws IOException {
        List<String> door = ImageTrees.write(root, "door", NOW.minus(Duration.ofDays(10)), Duration.ofHours(2), 100, JPEG);
        List<String> gate = ImageTrees.write(root, "gate", NOW.minus(Duration.ofDays(9)), Duration.ofHours(2), 100, JPEG);
        long each = JPEG.length;
        Pruner.Outcome global = pruner(0, 150 * each, 0, null).plan();
        assertEquals(50, global.removals().size());
        List<String> oldest = new ArrayList<>(door.subList(0, 12)); // door starts a day earlier: 12 of its own first
        assertEquals(oldest, removed(global).subList(0, 12));
        assertTrue(removed(global).contains(gate.get(0)), "then both, by time");

        Pruner.Outcome gateOnly = pruner(0, 60 * each, 0, "gate").apply(r -> { });
        assertEquals(gate.subList(0, 40), removed(gateOnly));
        assertEquals(100 + 60, Trees.images(root).size(), "door untouched");
    }

    /** A disk of 4 MiB (a hand-written double: free space is what the images leave). */
    @Test
    void byFreeSpace() throws IOException {
        ImageTrees.write(root, "door", NOW.minus(Duration.ofDays(5)), Duration.ofMinutes(20), 300, JPEG);
        long capacity = 4L << 20;
        AtomicLong asked = new AtomicLong();
        Pruner pruner = new Pruner(root, new Pruner.Policy(0, 0, capacity - 200L * JPEG.length, null, false), NOW, () -> {
            asked.incrementAndGet();
            return capacity - Trees.images(root).size() * (long) JPEG.length;
        });
        Pruner.Outcome outcome = pruner.apply(r -> { });
        assertEquals(100, outcome.removals().size(), "the oldest 100 free enough");
        assertEquals(200, Trees.images(root).size());
        assertFalse(outcome.limitMissed());
        assertEquals(1, asked.get(), "the free space is read once");
    }

    @Test
    void oldTemporariesGoAndFreshOnesStay() throws IOException {
        ImageTrees.write(root, "door", NOW.minus(Duration.ofDays(2)), Duration.ofMinutes(1), 3, JPEG);
        Path day = root.resolve("door/2026-11-20");
        Path stale = Files.write(day.resolve(".12-00-00.000-ab.part"), new byte[10]);
        Files.setLastModifiedTime(stale, java.nio.file.attribute.FileTime.from(NOW.minus(Duration.ofHours(3))));
        Path fresh = Files.write(day.resolve(".12-00-01.000-cd.part"), new byte[10]);
        Files.setLastModifiedTime(fresh, java.nio.file.attribute.FileTime.from(NOW.minus(Duration.ofMinutes(3))));
        pruner(30, 0, 0, null).apply(r -> { });
        assertFalse(Files.exists(stale));
        assertTrue(Files.exists(fresh), "an upload may be writing it");
    }

    /**
     * Images arriving (through the receiver's own store) into the very days being removed, while prune
     * runs: each stored image is either still there or was reported removed; a put may fail only
     * because its folder went just then (the agent sends it again); nothing partial is left.
     */
    @Test
    void safeWhileImagesArrive() throws Exception {
        Instant start = Instant.now().minus(Duration.ofDays(40));
        ImageTrees.write(root, "door", start, Duration.ofMinutes(10), 3000, JPEG);
        ImageStore store = new ImageStore(root, ZoneOffset.UTC, 0);
        Pruner pruner = new Pruner(root, new Pruner.Policy(30, 0, 0, null, false), Instant.now(), () -> Long.MAX_VALUE);
        List<String> stored = Collections.synchronizedList(new ArrayList<>());
        List<Exception> failed = Collections.synchronizedList(new ArrayList<>());
        Thread arrivals = new Thread(() -> {
            for (int i = 0; i < 300; i++) {
                try {
                    stored.add(store.put("door", start.plus(Duration.ofMinutes(10L * i * 3 + 5)), null, JPEG));
                } catch (Exception e) {
                    failed.add(e);
                }
            }
        });
        Set<String> reported = Collections.synchronizedSet(new HashSet<>());
        arrivals.start();
        pruner.apply(r -> reported.add(r.image().relative()));
        arrivals.join();
        for (String path : stored) {
            assertTrue(Files.exists(root.resolve(path)) || reported.contains(path), path + " vanished unreported");
        }
        for (Exception e : failed) {
            assertTrue(e instanceof java.nio.file.NoSuchFileException, "only a folder removed under the put: " + e);
        }
        assertEquals(List.of(), Trees.files(root).stream().filter(f -> f.endsWith(".part")).toList());
    }
}
