package dev.lookout.receiver.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lookout.protocol.ErrorCode;
import dev.lookout.protocol.ProtocolException;
import dev.lookout.receiver.support.Jpegs;
import dev.lookout.receiver.support.Trees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageStoreTest {
    private static final byte[] JPEG = Jpegs.noise(64, 48, 1);
    private static final Instant CAPTURE = Instant.parse("2026-03-29T00:30:00.007Z");

    @TempDir
    Path root;

    @Test
    void namesFollowTheReceiversZone() throws Exception {
        ImageStore berlin = new ImageStore(root, ZoneId.of("Europe/Berlin"), 0);
        assertEquals("door/2026-03-29/01-30-00.007.jpg", berlin.put("door", CAPTURE, null, JPEG));
        assertEquals("door/2026-03-29/03-30-00.007.jpg", berlin.put("door", CAPTURE.plusSeconds(3600), null, JPEG));
    }

    @Test
    void formatsEveryFieldWithLeadingZeros() {
        LocalDateTime t = LocalDateTime.of(2026, 1, 2, 3, 4, 5, 6_000_000);
        assertEquals("2026-01-02", ImageStore.dayName(t));
        assertEquals("03-04-05.006", ImageStore.timeName(t));
        assertEquals("23-59-59.999", ImageStore.timeName(LocalDateTime.of(2026, 1, 2, 23, 59, 59, 999_999_999)));
        assertEquals("00-00-00.050", ImageStore.timeName(LocalDateTime.of(2026, 1, 2, 0, 0, 0, 50_000_000)));
    }

    @Test
    void neverOverwritesAndLeavesNoTemporaryFiles() throws Exception {
        ImageStore store = new ImageStore(root, ZoneOffset.UTC, 0);
        byte[] other = Jpegs.noise(64, 48, 2);
        assertEquals("door/2026-03-29/00-30-00.007.jpg", store.put("door", CAPTURE, null, JPEG));
        assertEquals("door/2026-03-29/00-30-00.007-1.jpg", store.put("door", CAPTURE, null, other));
        assertEquals("door/2026-03-29/00-30-00.007-2.jpg", store.put("door", CAPTURE, null, other));
        assertArrayEquals(JPEG, Files.readAllBytes(root.resolve("door/2026-03-29/00-30-00.007.jpg")));
        assertEquals(List.of("door/2026-03-29/00-30-00.007-1.jpg", "door/2026-03-29/00-30-00.007-2.jpg",
                "door/2026-03-29/00-30-00.007.jpg", "door/latest.jpg"), Trees.files(root));
        assertEquals(CAPTURE.toEpochMilli(),
                Files.getLastModifiedTime(root.resolve("door/2026-03-29/00-30-00.007-2.jpg")).toMillis());
    }

    @Test
    void latestFollowsTheNewestCaptureNotTheLastArrival() throws Exception {
        ImageStore store = new ImageStore(root, ZoneOffset.UTC, 0);
        store.put("door", CAPTURE, null, JPEG);
        store.put("door", CAPTURE.minusSeconds(86_400), null, JPEG);
        assertEquals(Path.of("2026-03-29/00-30-00.007.jpg"), Files.readSymbolicLink(root.resolve("door/latest.jpg")));
        store.put("door", CAPTURE.plusMillis(1), null, JPEG);
        assertEquals(Path.of("2026-03-29/00-30-00.008.jpg"), Files.readSymbolicLink(root.resolve("door/latest.jpg")));
        assertArrayEquals(JPEG, Files.readAllBytes(root.resolve("door/latest.jpg")));
    }

    @Test
    void anIdIsRememberedPerDay() throws Exception {
        ImageStore store = new ImageStore(root, ZoneOffset.UTC, 0);
        String path = store.put("door", CAPTURE, "00ff", JPEG);
        assertEquals(path, store.put("door", CAPTURE, "00ff", JPEG));
        ProtocolException replay = assertThrows(ProtocolException.class,
                () -> store.put("door", CAPTURE, "00ff", Jpegs.noise(64, 48, 9)));
        assertEquals(ErrorCode.REPLAY, replay.code());
        Files.delete(root.resolve(path));
        assertEquals(path, store.put("door", CAPTURE, "00ff", JPEG));
    }

    @Test
    void refusesBelowTheFreeSpaceFloorWithoutWriting() {
        ImageStore store = new ImageStore(root, ZoneOffset.UTC, Long.MAX_VALUE / 2);
        assertEquals(ErrorCode.FULL, assertThrows(ProtocolException.class,
                () -> store.put("door", CAPTURE, null, JPEG)).code());
        assertEquals(List.of(), Trees.files(root));
    }

    @Test
    void concurrentWritersOfOneMillisecondGetDistinctNames() throws Exception {
        ImageStore store = new ImageStore(root, ZoneOffset.UTC, 0);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> paths = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                paths.add(pool.submit(() -> store.put("door", CAPTURE, null, JPEG)));
            }
            List<String> names = new ArrayList<>();
            for (Future<String> path : paths) {
                names.add(path.get());
            }
            assertEquals(40, names.stream().distinct().count());
            assertEquals(40, Trees.images(root).size());
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * A disk that runs out of room during a put: a real tmpfs with room for the folders but no inode
     * left for the image file (mounting needs root, as CI has). The put fails with an I/O error and
     * leaves nothing behind; once there is room again, the same image is stored.
     */
    @Test
    void aDiskFullDuringAPutLeavesNothingBehind() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "mounting a tmpfs needs root");
        Path mount = Files.createDirectory(root.resolve("small"));
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=1m,nr_inodes=3", "tmpfs", mount.toString()) == 0,
                "mount failed");
        try {
            ImageStore store = new ImageStore(mount, ZoneOffset.UTC, 0);
            IOException e = assertThrows(IOException.class, () -> store.put("door", CAPTURE, null, JPEG));
            assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
            assertEquals(List.of(), Trees.files(mount));
            assertEquals(0, run("mount", "-o", "remount,nr_inodes=100", mount.toString()));
            assertEquals("door/2026-03-29/00-30-00.007.jpg", store.put("door", CAPTURE, null, JPEG));
        } finally {
            run("umount", mount.toString());
        }
    }

    private static int run(String... command) throws IOException, InterruptedException {
        return new ProcessBuilder(command).inheritIO().start().waitFor();
    }
}
