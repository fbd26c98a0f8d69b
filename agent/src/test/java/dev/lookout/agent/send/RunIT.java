package dev.lookout.agent.send;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lookout.agent.support.ReceiverProcess;
import dev.lookout.agent.support.Rig;
import dev.lookout.protocol.PresharedKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged agent's 'run', end to end: a clip in, stills on the receiver's disk. */
class RunIT {
    private static final Pattern SENT = Pattern.compile("still sent: (\\S+) \\(");

    @TempDir
    Path dir;
    private Path images;
    private Path key;
    private Path clip;
    private List<byte[]> frames;

    @BeforeEach
    void setUp() throws Exception {
        images = dir.resolve("images");
        key = dir.resolve("camera.key");
        PresharedKey.generate(key);
        clip = dir.resolve("clip");
        frames = Rig.crossingClip(clip, 60);
    }

    private String[] run(int port, String... more) {
        return Stream.concat(Stream.of("run", "--source", "file:" + clip, "--fps", "20", "--camera", "door", "--to",
                "127.0.0.1:" + port, "--key-file", key.toString(), "--spool", dir.resolve("spool").toString(), "--control",
                dir.resolve("control.sock").toString(), "--clock-wait", "0", "--still-every", "500", "--max-stills", "20"),
                Stream.of(more)).toArray(String[]::new);
    }

    /** The receiver as the socket unit starts it: one process per connection, through its launcher. */
    @Test
    void stillsArriveThroughPerConnectionActivationNamedAndByteForByte() throws Exception {
        int port = Rig.freePort();
        Process activator = Rig.activatedReceiver(port, images, key);
        try {
            Path log = dir.resolve("agent.log");
            Process agent = Rig.agent(log, run(port, "--duration", "6"));
            assertTrue(agent.waitFor(90, TimeUnit.SECONDS));
            String text = Files.readString(log);
            assertEquals(0, agent.exitValue(), text);
            List<String> sent = SENT.matcher(text).results().map(m -> m.group(1)).sorted().toList();
            List<String> stored = Rig.stored(images).stream().map(p -> images.relativize(p).toString()).toList();
            assertTrue(sent.size() >= 3, text);
            assertEquals(sent, stored, "each still the agent was told of is on disk, under that name");
            for (Path file : Rig.stored(images)) {
                byte[] bytes = Rig.withoutExif(Files.readAllBytes(file));
                assertTrue(frames.stream().anyMatch(f -> Arrays.equals(f, bytes)),
                        file + " is one of the clip's frames, with an Exif block added");
            }
            try (Stream<Path> left = Files.list(dir.resolve("spool"))) {
                assertEquals(List.of(), left.filter(p -> p.toString().endsWith(".frame")).toList(), "the spool is empty");
            }
        } finally {
            activator.destroy();
            activator.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * Stopped while it waits for the clock (a Pi fresh from boot, before NTP: here a timedatectl on
     * the PATH that says "no"), the agent exits 0, not 143: systemd must not count a stop as a failure.
     */
    @Test
    void aStopWhileWaitingForTheClockIsClean() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path timedatectl = Files.writeString(bin.resolve("timedatectl"), "#!/bin/sh\necho no\n");
        assertTrue(timedatectl.toFile().setExecutable(true));
        Path log = dir.resolve("agent.log");
        ProcessBuilder builder = new ProcessBuilder(Rig.java(), "-jar", Rig.AGENT.toString(), "run", "--source",
                "file:" + clip, "--camera", "door", "--to", "127.0.0.1:" + Rig.freePort(), "--key-file", key.toString(),
                "--spool", dir.resolve("spool").toString(), "--control", dir.resolve("control.sock").toString(),
                "--clock-wait", "120").redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        Process agent = builder.start();
        try {
            Rig.await(() -> Rig.read(log).contains("waiting for the clock to be synchronised"), 60);
        } finally {
            agent.destroy();
            assertTrue(agent.waitFor(30, TimeUnit.SECONDS));
        }
        assertEquals(0, agent.exitValue(), Rig.read(log));
    }

    /** No receiver: stills wait, tries back off; the receiver comes up and the next try delivers them, unasked. */
    @Test
    void triesAgainWithBackoffUntilTheReceiverIsBack() throws Exception {
        int port = Rig.freePort();
        Path log = dir.resolve("agent.log");
        Process agent = Rig.agent(log, run(port, "--retry-min", "1", "--retry-max", "4"));
        try {
            Path spool = dir.resolve("spool");
            Rig.await(() -> Rig.read(log).contains("next try in") && waiting(spool) >= 2, 60);
            assertTrue(Rig.read(log).contains("not delivered now, kept in the spool: cannot connect"), Rig.read(log));
            try (ReceiverProcess receiver = ReceiverProcess.start(images, key, "0", port)) {
                Rig.await(() -> Rig.read(log).contains("the receiver takes stills again"), 60);
                assertTrue(Rig.stored(images).size() >= 2, Rig.read(log));
                String status = dev.lookout.agent.control.CtlClient.ask(dir.resolve("control.sock"), "status");
                assertTrue(status.contains("last error: none"), status);
            }
        } finally {
            agent.destroy();
            assertTrue(agent.waitFor(30, TimeUnit.SECONDS));
        }
        assertEquals(0, agent.exitValue(), "stopped by SIGTERM, a clean stop: " + Rig.read(log));
        Matcher waits = Pattern.compile("next try in (\\d+) s").matcher(Rig.read(log));
        assertTrue(waits.results().allMatch(m -> Integer.parseInt(m.group(1)) <= 4), Rig.read(log));
    }

    private static long waiting(Path spool) {
        try (Stream<Path> files = Files.list(spool)) {
            return files.filter(p -> p.toString().endsWith(".frame")).count();
        } catch (java.io.IOException e) {
            return 0;
        }
    }
}
