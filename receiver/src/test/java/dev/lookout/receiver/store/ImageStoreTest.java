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
import org.apache.commons.io.file.PathUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
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
    void anIdIsRememberedForTheCameraWhateverDayItLandsIn() throws Exception {
        ImageStore store = new ImageStore(root, ZoneOffset.UTC, 0);
        String path = store.put("door", CAPTURE, "00ff", JPEG);
        assertEquals(path, store.put("door", CAPTURE, "00ff", JPEG));
        // a still taken before the clock was synchronised is filed by arrival: replayed a day later, it is the same image
        assertEquals(path, store.put("door", CAPTURE.plusSeconds(86_400), "00ff", JPEG));
        ProtocolException replay = assertThrows(ProtocolException.class,
                () -> store.put("door", CAPTURE.plusSeconds(2 * 86_400), "00ff", Jpegs.noise(64, 48, 9)));
        assertEquals(ErrorCode.REPLAY, replay.code());
        assertEquals(List.of(path), Trees.images(root));
    }

    /**
     * What a receiver killed while publishing leaves (a pending id, with or without its image, or
     * with another image that took the name meanwhile): the sender's retry is stored once and
     * answered with its path, never refused as a replay.
     */
    @Test
    void aPublicationCutShortNeverRefusesTheRetry() throws Exception {
        ImageStore store = new ImageStore(root, ZoneOffset.UTC, 0);
        Path ids = Files.createDirectories(root.resolve("door/.ids"));
        Files.createSymbolicLink(ids.resolve("01.pending"), Path.of("../2026-03-29/00-30-00.007.jpg"));
        assertEquals("door/2026-03-29/00-30-00.007.jpg", store.put("door", CAPTURE, "01", JPEG), "killed before publishing");

        String published = store.put("door", CAPTURE.plusSeconds(1), null, JPEG);
        Files.createSymbolicLink(ids.resolve("02.pending"), Path.of("..", published.substring("door/".length())));
        assertEquals(published, store.put("door", CAPTURE.plusSeconds(2), "02", JPEG), "killed after publishing");

        Files.createSymbolicLink(ids.resolve("03.pending"), Path.of("..", published.substring("door/".length())));
        byte[] other = Jpegs.noise(64, 48, 3);
        assertEquals("door/2026-03-29/00-30-03.007.jpg", store.put("door", CAPTURE.plusSeconds(3), "03", other),
                "killed before publishing; the name then went to another image");

        assertEquals(List.of("door/2026-03-29/00-30-00.007.jpg", published, "door/2026-03-29/00-30-03.007.jpg"),
                Trees.images(root));
        for (String id : new String[] {"01", "02", "03"}) {
            assertTrue(Files.isSymbolicLink(ids.resolve(id)), id + " is remembered");
            assertEquals(ErrorCode.REPLAY, assertThrows(ProtocolException.class,
                    () -> store.put("door", CAPTURE, id, Jpegs.noise(64, 48, 9))).code());
        }
        try (var left = Files.list(ids)) {
            assertEquals(List.of(), left.filter(p -> p.toString().endsWith(".pending")).toList());
        }
    }

    @Test
    void anIdStaysKnownAfterItsImageWasRemoved() throws Exception {
        ImageStore store = new ImageStore(root, ZoneOffset.UTC, 0);
        String path = store.put("door", CAPTURE, "00ff", JPEG);
        Files.delete(root.resolve(path));
        assertEquals(ErrorCode.REPLAY, assertThrows(ProtocolException.class,
                () -> store.put("door", CAPTURE.plusSeconds(86_400), "00ff", JPEG)).code());
        assertEquals(List.of(), Trees.images(root));
    }

    /** A link where the store expects a folder or a file of its own is refused, never followed. */
    @ParameterizedTest
    @ValueSource(strings = {"door", "door/2026-03-29", "door/.ids"})
    void refusesALinkWhereAFolderIsExpected(String link) throws Exception {
        Path outside = Files.createDirectories(root.resolveSibling(root.getFileName() + "-outside"));
        try {
            Path at = root.resolve(link);
            Files.createDirectories(at.getParent());
            Files.createSymbolicLink(at, outside);
            ImageStore store = new ImageStore(root, ZoneOffset.UTC, 0);
            IOException e = assertThrows(IOException.class, () -> store.put("door", CAPTURE, "00ff", JPEG));
            assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
            assertEquals(List.of(), Trees.files(outside));
            assertEquals(List.of(), Trees.images(root));
        } finally {
            PathUtils.deleteDirectory(outside);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"door/.lock", ".stored"})
    void neverWritesThroughALinkedFile(String link) throws Exception {
        Path victim = Files.writeString(root.resolveSibling(root.getFileName() + "-victim"), "precious");
        try {
            Files.createDirectories(root.resolve("door"));
            Files.createSymbolicLink(root.resolve(link), victim);
            ImageStore store = new ImageStore(root, ZoneOffset.UTC, 0);
            try {
                store.put("door", CAPTURE, "00ff", JPEG);
            } catch (IOException refused) {
                assertTrue(refused.getMessage().contains("symbolic link"), refused.getMessage());
            }
            assertEquals("precious", Files.readString(victim));
        } finally {
            Files.delete(victim);
        }
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
        Path mount = tmpfs("nr_inodes=3");
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

    /**
     * The inodes run out at every step of a put in turn (the temporary, the id, latest.jpg …): an
     * image is either stored and answered with its path, or not stored and answered with an error;
     * the sender's retry once there is room again never stores it a second time.
     */
    @Test
    void aStorageFailureAtAnyStepNeverStoresAnImageTwice() throws Exception {
        int failedAfterWriting = 0;
        for (int inodes = 3; inodes <= 10; inodes++) {
            Path mount = tmpfs("nr_inodes=" + inodes);
            try {
                ImageStore store = new ImageStore(mount, ZoneOffset.UTC, 0);
                String first = null;
                try {
                    first = store.put("door", CAPTURE, "00ff", JPEG);
                } catch (IOException full) {
                    failedAfterWriting += Files.exists(mount.resolve("door/2026-03-29")) ? 1 : 0;
                    assertEquals(List.of(), Trees.images(mount), "an image stored but answered with an error");
                }
                assertEquals(0, run("mount", "-o", "remount,nr_inodes=100", mount.toString()));
                String retry = store.put("door", CAPTURE, "00ff", JPEG);
                if (first != null) {
                    assertEquals(first, retry);
                }
                assertEquals(List.of(retry), Trees.images(mount), "with " + inodes + " inodes");
                assertEquals(List.of(), Trees.files(mount).stream().filter(f -> f.endsWith(".part")).toList());
            } finally {
                run("umount", mount.toString());
            }
        }
        assertTrue(failedAfterWriting > 0, "no step after the temporary was provoked");
    }

    /**
     * A retry of a stored image (its reply was lost) on a disk that filled up meanwhile is answered
     * with its path, and a replay with other bytes is refused as one, not as "storage full": both
     * are known before anything is written.
     */
    @Test
    void aKnownIdIsAnsweredBeforeAnythingIsWrittenEvenOnAFullDisk() throws Exception {
        Path mount = tmpfs("nr_inodes=100");
        try {
            ImageStore store = new ImageStore(mount, ZoneOffset.UTC, 0);
            String path = store.put("door", CAPTURE, "00ff", JPEG);
            Path filler = mount.resolve("filler");
            run("sh", "-c", "cat /dev/zero > " + filler + " 2>/dev/null");
            assertEquals(ErrorCode.FULL, assertThrows(ProtocolException.class,
                    () -> store.put("door", CAPTURE.plusSeconds(1), "0100", JPEG)).code(), "the disk is full");
            assertEquals(path, store.put("door", CAPTURE.plusSeconds(86_400), "00ff", JPEG));
            assertEquals(ErrorCode.REPLAY, assertThrows(ProtocolException.class,
                    () -> store.put("door", CAPTURE, "00ff", Jpegs.noise(64, 48, 9))).code());
            assertEquals(List.of(path), Trees.images(mount));
        } finally {
            run("umount", mount.toString());
        }
    }

    /** A fresh tmpfs below the test's folder; needs root, as CI has. */
    private Path tmpfs(String options) throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "mounting a tmpfs needs root");
        Path mount = Files.createDirectories(root.resolve("small"));
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=1m," + options, "tmpfs", mount.toString()) == 0,
                "mount failed");
        return mount;
    }

    private static int run(String... command) throws IOException, InterruptedException {
        return new ProcessBuilder(command).inheritIO().start().waitFor();
    }
}
