package dev.lookout.agent.send;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lookout.agent.capture.Frame;
import dev.lookout.agent.capture.SyntheticScene;
import dev.lookout.agent.spool.Spool;
import dev.lookout.protocol.FrameWriter;
import dev.lookout.protocol.PresharedKey;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 the agent at random moments while it drains its spool, 50 times and more: once a drain
 * completes, every still is at the receiver exactly once, and no partial file is anywhere.
 */
class CrashIT {
    private static final Path AGENT = Path.of("target/lookout-agent.jar").toAbsolutePath();
    private static final Path RECEIVER = Path.of("../receiver/target/lookout-receiver.jar").toAbsolutePath();
    private static final int STILLS = 40;
    private static final int KILLS = 50;

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
            spool.add("door", 1_777_890_030_000L + frame.index() * 1000, FrameWriter.contentId(out.toByteArray()), false,
                    out.toByteArray());
        }
        Process receiver = new ProcessBuilder(java(), "-jar", RECEIVER.toString(), "--listen", "127.0.0.1:0", "--dir",
                images.toString(), "--key-file", key.toString(), "--min-free", "0")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            int port = port(receiver);
            Random random = new Random(7);
            List<String> flush = List.of(java(), "-jar", AGENT.toString(), "flush", "--spool", spoolDir.toString(),
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
                    // everything went through before the 50 kills: put the stills back and go on
                    for (int i = 0; i < STILLS; i++) {
                        spool.add("door", 1_777_890_030_000L + i * 1000, FrameWriter.contentId(jpegs.get(i)), false, jpegs.get(i));
                    }
                }
            }
            Process last = new ProcessBuilder(flush).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            assertTrue(last.waitFor(120, TimeUnit.SECONDS));
            assertEquals(0, last.exitValue());
        } finally {
            receiver.destroy();
            receiver.waitFor(10, TimeUnit.SECONDS);
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

    private static int port(Process receiver) throws Exception {
        BufferedReader err = new BufferedReader(new InputStreamReader(receiver.getErrorStream(), StandardCharsets.UTF_8));
        Pattern listening = Pattern.compile("listening on /?127\\.0\\.0\\.1:(\\d+) ");
        String line;
        while ((line = err.readLine()) != null) {
            Matcher m = listening.matcher(line);
            if (m.find()) {
                CompletableFuture.runAsync(() -> {
                    try {
                        while (err.readLine() != null) {
                            // keep the pipe flowing
                        }
                    } catch (java.io.IOException e) {
                        // gone
                    }
                });
                return Integer.parseInt(m.group(1));
            }
        }
        throw new AssertionError("the receiver did not start");
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
