package dev.lookout.agent.send;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lookout.agent.capture.Frame;
import dev.lookout.agent.capture.SyntheticScene;
import dev.lookout.agent.spool.Spool;
import dev.lookout.agent.support.ReceiverProcess;
import dev.lookout.agent.support.Rig;
import dev.lookout.agent.spool.Upload;
import dev.lookout.agent.support.Frames;
import dev.lookout.protocol.PresharedKey;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 the agent at random moments while it drains its spool, 50 times (by default) and more: once a drain
 * completes, every still is at the receiver exactly once, and no partial file is anywhere.
 */
class CrashIT {
    private static final Path AGENT = Rig.AGENT;
    private static final int STILLS = 40;
    /** Rounds of each campaign: fewer where a run repeats on another JDK what this one proved. */
    private static final int KILLS = Integer.getInteger("lookout.crash.kills", 50);
    private static final int RUN_KILLS = Integer.getInteger("lookout.crash.runKills", 12);

    @TempDir
    Path dir;

    @Test
    void everyStillArrivesExactlyOnceWhateverMomentTheAgentDies() throws Exception {
        Path key = dir.resolve("key");
        PresharedKey.generate(key);
        Path images = dir.resolve("images");
        Path spoolDir = dir.resolve("spool");
        Spool spool = new Spool(spoolDir, 1L << 30, 10_000);
        List<byte[]> jpegs = new ArrayList<>();
        SyntheticScene scene = SyntheticScene.builder(320, 240).frames(STILLS).object(0, 8, 40, 60).build();
        Frame frame;
        while ((frame = scene.next()) != null) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(frame.image(), "jpeg", out);
            jpegs.add(out.toByteArray());
            spool.add(Upload.of("door", 1_777_890_030_000L + frame.index() * 1000, false, out.toByteArray()));
        }
        try (ReceiverProcess receiver = ReceiverProcess.start(images, key, "0", 0)) {
            int port = receiver.port();
            Random random = new Random(7);
            List<String> flush = List.of(Rig.java(), "-jar", AGENT.toString(), "flush", "--spool", spoolDir.toString(),
                    "--to", "127.0.0.1:" + port, "--key-file", key.toString(), "--camera", "door", "--batch", "3");
            int kills = 0;
            while (kills < KILLS) {
                Process agent = new ProcessBuilder(flush).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                // JVM start-up is most of the first ~400 ms; the sending happens in the time after it
                if (!agent.waitFor(300 + random.nextInt(500), TimeUnit.MILLISECONDS)) {
                    agent.destroyForcibly().waitFor();
                    kills++;
                }
                if (spool.size() == 0 && kills < KILLS) {
                    // everything went through before the last kill: put the stills back and go on
                    for (int i = 0; i < STILLS; i++) {
                        spool.add(Upload.of("door", 1_777_890_030_000L + i * 1000, false, jpegs.get(i)));
                    }
                }
            }
            Process last = new ProcessBuilder(flush).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            assertTrue(last.waitFor(120, TimeUnit.SECONDS));
            assertEquals(0, last.exitValue());
        }
        List<Path> stored;
        try (Stream<Path> walk = Files.walk(images)) {
            stored = walk.filter(p -> p.toString().endsWith(".jpg") && !Files.isSymbolicLink(p)).sorted().toList();
        }
        assertEquals(STILLS, stored.size(), "each still exactly once: " + stored);
        for (int i = 0; i < STILLS; i++) {
            assertArrayEquals(jpegs.get(i), Files.readAllBytes(stored.get(i)));
        }
        try (Stream<Path> walk = Files.walk(images)) {
            assertEquals(List.of(), walk.filter(p -> p.getFileName().toString().endsWith(".part")).toList());
        }
        try (Stream<Path> left = Files.list(spoolDir)) {
            assertEquals(List.of(), left.filter(p -> p.getFileName().toString().endsWith(".frame")).toList());
        }
    }

    /**
     * kill -9 the running agent ('run') at random moments while it captures, spools and sends:
     * every still that reached the spool arrives exactly once (never under a second name), complete.
     */
    @Test
    void killingTheRunningAgentLosesAndRepeatsNothing() throws Exception {
        Path key = dir.resolve("key");
        PresharedKey.generate(key);
        Path images = dir.resolve("images");
        Path spoolDir = dir.resolve("spool");
        Path clip = dir.resolve("clip");
        List<byte[]> frames = Rig.crossingClip(clip, 40);
        java.util.Map<String, byte[]> spooled = new java.util.TreeMap<>();
        // per connection, as systemd starts it: each batch costs a JVM start, so stills wait in the spool
        int port = Rig.freePort();
        Process activator = Rig.activatedReceiver(port, images, key);
        try {
            String to = "127.0.0.1:" + port;
            Random random = new Random(11);
            for (int kill = 0; kill < RUN_KILLS; kill++) {
                Process agent = Rig.agent(dir.resolve("run.log"), "run", "--source", "file:" + clip, "--fps", "25",
                        "--camera", "door", "--to", to, "--key-file", key.toString(), "--spool", spoolDir.toString(),
                        "--control", dir.resolve("c.sock").toString(), "--clock-wait", "0", "--still-every", "200",
                        "--max-stills", "100", "--batch", "3");
                // a random moment once this run has spooled a still of its own (start-up takes a second or
                // more, longer on a loaded machine): the kill comes while stills are being spooled and sent
                long moment = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1200 + random.nextInt(2500));
                int before = spooled.size();
                Rig.await(() -> !agent.isAlive() || look(spoolDir, spooled) > before && System.nanoTime() >= moment, 60);
                assertTrue(agent.isAlive(), Rig.read(dir.resolve("run.log")));
                agent.destroyForcibly().waitFor();
                look(spoolDir, spooled);
            }
            Process last = Rig.agent(dir.resolve("flush.log"), "flush", "--spool", spoolDir.toString(), "--to", to,
                    "--key-file", key.toString(), "--camera", "door");
            assertTrue(last.waitFor(120, TimeUnit.SECONDS));
            assertEquals(0, last.exitValue(), Rig.read(dir.resolve("flush.log")));
        } finally {
            activator.destroy();
            activator.waitFor(10, TimeUnit.SECONDS);
        }
        List<Path> stored = Rig.stored(images);
        java.util.Set<String> names = new java.util.TreeSet<>();
        for (Path file : stored) {
            String name = images.relativize(file).toString();
            assertTrue(name.matches("door/\\d{4}-\\d\\d-\\d\\d/\\d\\d-\\d\\d-\\d\\d\\.\\d{3}\\.jpg"),
                    "a still stored twice gets a second name: " + name);
            byte[] bytes = Rig.withoutExif(Files.readAllBytes(file));
            assertTrue(frames.stream().anyMatch(f -> java.util.Arrays.equals(f, bytes)), name + " is complete");
            names.add(name);
        }
        assertTrue(spooled.size() >= 3, "the kills came while stills were waiting: " + spooled.size() + ", stored: " + stored.size()
                + "\n" + Rig.read(dir.resolve("run.log")));
        for (java.util.Map.Entry<String, byte[]> still : spooled.entrySet()) {
            assertTrue(names.contains(still.getKey()), still.getKey() + " was spooled and never arrived");
            assertArrayEquals(still.getValue(), Files.readAllBytes(images.resolve(still.getKey())));
        }
        try (Stream<Path> walk = Files.walk(images)) {
            assertEquals(List.of(), walk.filter(p -> p.getFileName().toString().endsWith(".part")).toList());
        }
        try (Stream<Path> left = Files.list(spoolDir)) {
            // a kill inside Spool.add may leave a hidden temporary (swept by a later start once a minute old), never an entry
            assertEquals(List.of(), left.map(p -> p.getFileName().toString())
                    .filter(name -> name.endsWith(".frame") && !name.startsWith(".tmp-")).toList());
        }
    }

    /**
     * Adds every still in the spool now to {@code seen} (named as the receiver will name it); returns
     * how many have been seen so far. The agent may be writing and removing entries meanwhile.
     */
    private static int look(Path spool, java.util.Map<String, byte[]> seen) {
        try {
            for (Spool.Entry entry : new Spool(spool, 1L << 30, 10_000).peek(10_000)) {
                seen.put(Rig.nameOf("door", entry.header().captureMillis()), Frames.jpeg(entry.still()));
            }
        } catch (Exception e) {
            // an entry removed under the look (delivered): the next look sees the rest
        }
        return seen.size();
    }
}
