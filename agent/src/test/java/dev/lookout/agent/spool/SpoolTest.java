package dev.lookout.agent.spool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lookout.agent.support.Frames;
import dev.lookout.agent.support.Tmpfs;
import dev.lookout.protocol.FrameWriter;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {
    @TempDir
    Path dir;

    @Test
    void entriesComeOutOldestFirstWhateverTheOrderTheyWentIn() throws Exception {
        Spool spool = new Spool(dir, 1 << 20, 100);
        spool.add(Upload.of("door", 3000, false, new byte[] {3}));
        spool.add(Upload.of("door", 1000, true, new byte[] {1}));
        spool.add(Upload.of("yard", 2000, false, new byte[] {2}));
        List<Spool.Entry> entries = spool.peek(10);
        assertEquals(List.of(1000L, 2000L, 3000L), entries.stream().map(e -> e.header().captureMillis()).toList());
        assertTrue(entries.get(0).header().clockUnsynced());
        assertEquals("yard", entries.get(1).header().camera());
        assertArrayEquals(new byte[] {2}, Frames.jpeg(entries.get(1).still()));
        assertEquals(2, spool.peek(2).size());
        assertEquals(3, spool.size(), "peek removes nothing");
    }

    @Test
    void addLeavesNoTemporaryFileAndRemoveAndRejectTakeEntriesOut() throws Exception {
        Spool spool = new Spool(dir, 1 << 20, 100);
        spool.add(Upload.of("door", 1000, false, new byte[] {1}));
        spool.add(Upload.of("door", 2000, false, new byte[] {2}));
        Spool.Entry first = spool.peek(2).get(0);
        Spool.Entry second = spool.peek(2).get(1);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.filter(p -> p.getFileName().toString().startsWith(".tmp")).toList());
        }
        spool.remove(first);
        spool.reject(second, "bad-image not a valid JPEG");
        assertEquals(0, spool.size());
        assertEquals("bad-image not a valid JPEG\n",
                Files.readString(dir.resolve("rejected").resolve(second.path().getFileName() + ".reason")));
    }

    /**
     * A JPEG dropped into the outbox and the same file given to {@code send} get one id, the
     * {@link StillId} of its mtime and bytes; dropped again unchanged, it is the same entry.
     */
    @Test
    void anOutboxJpegGetsTheIdSendGivesTheSameFile() throws Exception {
        Spool spool = new Spool(dir.resolve("spool"), 1 << 20, 100);
        byte[] jpeg = {(byte) 0xff, (byte) 0xd8, 7, (byte) 0xff, (byte) 0xd9};
        Path file = Files.write(dir.resolve("a.jpg"), jpeg);
        Files.setLastModifiedTime(file, FileTime.fromMillis(1_700_000_000_123L));
        byte[] sendId = Upload.ofFile("door", file).header().imageId();
        for (int i = 0; i < 2; i++) {
            Files.setLastModifiedTime(Files.copy(file, spool.outbox().resolve("a.jpg")), FileTime.fromMillis(1_700_000_000_123L));
            assertEquals(1, spool.importOutbox("door"));
        }
        List<Spool.Entry> entries = spool.peek(10);
        assertEquals(1, entries.size(), "the same file twice is one still");
        assertArrayEquals(StillId.of(1_700_000_000_123L, FrameWriter.sha256(jpeg)), entries.get(0).header().imageId());
        assertArrayEquals(sendId, entries.get(0).header().imageId());
        assertFalse(Arrays.equals(sendId, StillId.of(1_700_000_000_124L, FrameWriter.sha256(jpeg))), "another moment, another still");
    }

    @Test
    void overItsBoundsTheOldestAreDropped() throws Exception {
        Spool spool = new Spool(dir, 1 << 20, 3);
        for (int i = 1; i <= 5; i++) {
            spool.add(Upload.of("door", i * 1000L, false, new byte[] {(byte) i}));
        }
        assertEquals(List.of(3000L, 4000L, 5000L), spool.peek(10).stream().map(e -> e.header().captureMillis()).toList());
        Spool small = new Spool(dir.resolve("small"), 300, 100);
        small.add(Upload.of("door", 1000, false, new byte[200]));
        small.add(Upload.of("door", 2000, false, new byte[200]));
        assertEquals(List.of(2000L), small.peek(10).stream().map(e -> e.header().captureMillis()).toList());
    }

    @Test
    void temporariesLeftByACrashAreRemovedOnceAbandoned() throws Exception {
        Path old = Files.writeString(dir.resolve(".tmp-0000000001000-00.frame"), "half");
        Files.setLastModifiedTime(old, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 120_000));
        Path fresh = Files.writeString(dir.resolve(".tmp-0000000002000-00.frame"), "being written");
        new Spool(dir, 1 << 20, 100);
        assertTrue(Files.notExists(old));
        assertTrue(Files.exists(fresh), "another process may still be writing it");
    }

    @Test
    void onlyOneDrainerAtATime() throws Exception {
        Spool spool = new Spool(dir, 1 << 20, 100);
        try (AutoCloseable held = spool.drainLock()) {
            assertThrows(OverlappingFileLockException.class, spool::drainLock);
        }
        try (AutoCloseable again = spool.drainLock()) {
            assertTrue(Files.exists(dir.resolve(".drain.lock")));
        }
    }

    /**
     * A real full disk (a 64 KiB tmpfs): the add that does not fit says "spool full" and leaves no
     * temporary file behind; what is spooled stays whole; the outbox stays put, in one log line, and
     * is taken in once sending made room.
     */
    @Test
    void aFullDiskLeavesNoTemporaryAndTheOutboxWaitsForRoom() throws Exception {
        try (Tmpfs disk = Tmpfs.mount(dir.resolve("disk"), "size=64k")) {
            Spool spool = new Spool(disk.path(), 1 << 30, 10_000);
            Files.write(spool.outbox().resolve("dropped.jpg"), new byte[9000]);
            int added = 0;
            SpoolFullException full = null;
            while (full == null) {
                try {
                    spool.add(Upload.of("door", 1000 + added, false, new byte[8000]));
                    added++;
                } catch (SpoolFullException e) {
                    full = e;
                }
            }
            assertTrue(full.getMessage().startsWith("spool full: no room in "), full.getMessage());
            try (Stream<Path> files = Files.list(disk.path())) {
                assertEquals(List.of(), files.filter(p -> p.getFileName().toString().startsWith(".tmp")).toList());
            }
            assertEquals(added, spool.size());
            assertEquals(0, spool.importOutbox("door"));
            assertEquals(1, spool.outboxSize());
            for (Spool.Entry entry : spool.peek(added)) {
                assertEquals(8000, entry.header().length());
                spool.remove(entry);
            }
            assertEquals(1, spool.importOutbox("door"));
            assertEquals(0, spool.outboxSize());
        }
    }
}
