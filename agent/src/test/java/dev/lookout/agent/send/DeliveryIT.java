package dev.lookout.agent.send;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lookout.agent.capture.Frame;
import dev.lookout.agent.capture.SyntheticScene;
import dev.lookout.agent.spool.Spool;
import dev.lookout.agent.support.ReceiverProcess;
import dev.lookout.agent.support.Rig;
import dev.lookout.agent.support.Tmpfs;
import dev.lookout.agent.spool.Upload;
import dev.lookout.protocol.PresharedKey;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged agent's send and flush against the packaged receiver, both as child processes on loopback. */
class DeliveryIT {
    private static final long T0 = 1_777_890_030_000L;

    @TempDir
    Path dir;
    private Path images;
    private Path spoolDir;
    private Path key;
    private ReceiverProcess receiver;
    private int port;

    private record Result(int code, String out, String err) {
    }

    @BeforeEach
    void key() throws IOException {
        images = dir.resolve("images");
        spoolDir = dir.resolve("spool");
        key = dir.resolve("camera.key");
        PresharedKey.generate(key);
    }

    @AfterEach
    void stopReceiver() throws InterruptedException {
        if (receiver != null) {
            receiver.close();
        }
    }

    private void startReceiver() throws Exception {
        startReceiver("0");
    }

    private void startReceiver(String minFree) throws Exception {
        receiver = ReceiverProcess.start(images, key, minFree, port);
        port = receiver.port();
    }

    private Result agent(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Rig.java(), "-jar", Rig.AGENT.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).start();
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> {
            try {
                return process.getErrorStream().readAllBytes();
            } catch (IOException e) {
                return new byte[0];
            }
        }, Rig::ownThread);
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS));
        return new Result(process.exitValue(), out, new String(err.get(), StandardCharsets.UTF_8).strip());
    }

    private Result flush(Path keyFile) throws Exception {
        return agent("flush", "--spool", spoolDir.toString(), "--to", "127.0.0.1:" + port, "--key-file", keyFile.toString(),
                "--camera", "door", "--batch", "10", "--timeout", "5");
    }

    /** Spools {@code n} stills of a synthetic scene, one second apart; returns their JPEGs. */
    private List<byte[]> spoolStills(int n) throws IOException {
        Spool spool = new Spool(spoolDir, 1L << 30, 10_000);
        SyntheticScene scene = SyntheticScene.builder(160, 120).frames(n).object(0, 10, 30, 40).build();
        List<byte[]> jpegs = new ArrayList<>();
        Frame frame;
        while ((frame = scene.next()) != null) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(frame.image(), "jpeg", out);
            byte[] jpeg = out.toByteArray();
            spool.add(Upload.of("door", T0 + frame.index() * 1000, false, jpeg));
            jpegs.add(jpeg);
        }
        return jpegs;
    }

    private List<Path> stored() {
        return Rig.stored(images);
    }

    @Test
    void flushDeliversTheSpoolInBatchesAndEmptiesIt() throws Exception {
        List<byte[]> jpegs = spoolStills(25);
        startReceiver();
        Result result = flush(key);
        assertEquals(0, result.code(), result.err());
        assertEquals("0 taken from the outbox, 25 delivered, 0 rejected, 0 kept", result.err());
        List<Path> stored = stored();
        assertEquals(25, stored.size());
        for (int i = 0; i < 25; i++) {
            assertArrayEquals(jpegs.get(i), Files.readAllBytes(stored.get(i)), "still " + i);
        }
        assertEquals(0, new Spool(spoolDir, 1L << 30, 10_000).size());
    }

    /** The receiver as systemd starts it per connection (Accept=yes, StandardInput=socket), through its launcher. */
    @Test
    void flushThroughPerConnectionSocketActivation() throws Exception {
        List<byte[]> jpegs = spoolStills(15);
        port = Rig.freePort();
        Process activator = Rig.activatedReceiver(port, images, key);
        try {
            Result result = agent("flush", "--spool", spoolDir.toString(), "--to", "127.0.0.1:" + port, "--key-file",
                    key.toString(), "--camera", "door", "--batch", "5");
            assertEquals(0, result.code(), result.err());
            assertEquals("0 taken from the outbox, 15 delivered, 0 rejected, 0 kept", result.err());
            List<Path> stored = stored();
            assertEquals(15, stored.size());
            for (int i = 0; i < 15; i++) {
                assertArrayEquals(jpegs.get(i), Files.readAllBytes(stored.get(i)));
            }
        } finally {
            activator.destroy();
            activator.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void whileTheReceiverIsDownEverythingIsKeptThenDrainsInOrder() throws Exception {
        List<byte[]> jpegs = spoolStills(12);
        port = Rig.freePort();
        Result down = flush(key);
        assertEquals(75, down.code(), down.err());
        assertTrue(down.err().startsWith("0 taken from the outbox, 0 delivered, 0 rejected, 12 kept (cannot connect"), down.err());
        startReceiver();
        Result up = flush(key);
        assertEquals(0, up.code(), up.err());
        List<Path> stored = stored();
        assertEquals(12, stored.size());
        assertArrayEquals(jpegs.get(11), Files.readAllBytes(stored.get(11)));
    }

    @Test
    void theWrongKeyKeepsEveryStill() throws Exception {
        spoolStills(3);
        startReceiver();
        Path other = dir.resolve("other.key");
        PresharedKey.generate(other);
        Result result = flush(other);
        assertEquals(75, result.code(), result.err());
        assertTrue(result.err().contains("3 kept (auth "), result.err());
        assertEquals(List.of(), stored());
    }

    @Test
    void aStillTheReceiverRefusesIsSetAsideAndTheRestDelivered() throws Exception {
        spoolStills(4);
        new Spool(spoolDir, 1L << 30, 10_000).add(Upload.of("door", T0 + 1500, false, "not a jpeg".getBytes()));
        startReceiver();
        Result result = flush(key);
        assertEquals(65, result.code(), result.err());
        assertEquals("0 taken from the outbox, 4 delivered, 1 rejected, 0 kept", result.err());
        try (Stream<Path> rejected = Files.list(spoolDir.resolve("rejected"))) {
            List<Path> files = rejected.sorted().toList();
            assertEquals(2, files.size());
            assertTrue(Files.readString(files.get(1)).startsWith("bad-image not a valid JPEG"), Files.readString(files.get(1)));
        }
        assertEquals(4, stored().size());
    }

    @Test
    void jpegsDroppedIntoTheOutboxAreShipped() throws Exception {
        byte[] jpeg = spoolStills(1).get(0);
        new Spool(spoolDir, 1L << 30, 10_000).remove(new Spool(spoolDir, 1L << 30, 10_000).peek(1).get(0));
        Files.write(spoolDir.resolve("outbox/from-a-script.jpg"), jpeg);
        startReceiver();
        Result result = flush(key);
        assertEquals(0, result.code(), result.err());
        assertEquals("1 taken from the outbox, 1 delivered, 0 rejected, 0 kept", result.err());
        assertArrayEquals(jpeg, Files.readAllBytes(stored().get(0)));
        try (Stream<Path> outbox = Files.list(spoolDir.resolve("outbox"))) {
            assertEquals(0, outbox.count());
        }
    }

    /**
     * The Pi's spool disk full (a real tmpfs) with JPEGs waiting in the outbox: flush sends what is
     * spooled first, which makes room, then takes in the outbox and sends that too; it says once that
     * the spool was full and leaves no temporary behind.
     */
    @Test
    void aFullSpoolDiskDrainsAndThenTakesInTheOutbox() throws Exception {
        try (Tmpfs disk = Tmpfs.mount(spoolDir, "size=256k")) {
            Spool spool = new Spool(spoolDir, 1L << 30, 10_000);
            SyntheticScene scene = SyntheticScene.builder(160, 120).frames(400).object(0, 10, 30, 40).build();
            int dropped = 0;
            int spooled = 0;
            Frame frame;
            while ((frame = scene.next()) != null) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                ImageIO.write(frame.image(), "jpeg", out);
                byte[] jpeg = out.toByteArray();
                try {
                    if (dropped < 3) {
                        Files.write(spoolDir.resolve("outbox/dropped-" + dropped + ".jpg"), jpeg);
                        dropped++;
                    } else {
                        spool.add(Upload.of("door", T0 + frame.index() * 1000, false, jpeg));
                        spooled++;
                    }
                } catch (IOException full) {
                    break;
                }
            }
            assertTrue(spooled > 3 && frame != null, "the disk filled up: " + spooled);
            startReceiver();
            Result result = flush(key);
            assertEquals(0, result.code(), result.err());
            assertTrue(result.err().endsWith("3 taken from the outbox, " + (spooled + 3) + " delivered, 0 rejected, 0 kept"),
                    result.err());
            assertEquals(1, result.err().lines().filter(line -> line.contains("spool full")).count(), result.err());
            assertEquals(spooled + 3, stored().size());
            try (Stream<Path> left = Files.list(spoolDir)) {
                assertEquals(List.of(), left.filter(p -> p.getFileName().toString().startsWith(".tmp")).toList());
            }
        }
    }

    @Test
    void storageFullKeepsTheStills() throws Exception {
        spoolStills(2);
        startReceiver("1000000T");
        Result result = flush(key);
        assertEquals(75, result.code(), result.err());
        assertTrue(result.err().contains("2 kept (full "), result.err());
    }

    @Test
    void sendUploadsFilesOnceEvenWhenSentTwice() throws Exception {
        List<byte[]> jpegs = spoolStills(2);
        Path a = Files.write(dir.resolve("a.jpg"), jpegs.get(0));
        Path b = Files.write(dir.resolve("b.jpg"), jpegs.get(1));
        startReceiver();
        String[] args = {"send", "--to", "127.0.0.1:" + port, "--key-file", key.toString(), "--camera", "porch",
            a.toString(), b.toString()};
        Result first = agent(args);
        assertEquals(0, first.code(), first.err());
        List<String> lines = first.out().lines().toList();
        assertEquals(2, lines.size());
        assertTrue(lines.get(0).startsWith(a + ": OK porch/"), lines.toString());
        Result again = agent(args);
        assertEquals(first.out(), again.out());
        assertEquals(2, stored().size());
    }
}
