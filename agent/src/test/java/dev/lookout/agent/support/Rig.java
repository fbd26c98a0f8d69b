package dev.lookout.agent.support;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/** What the tests that run the packaged agent and receiver as child processes share. */
public final class Rig {
    /** The packaged agent, as a user runs it. */
    public static final Path AGENT = Path.of("target/lookout-agent.jar").toAbsolutePath();
    /** The receiver's launcher, as systemd runs it. */
    public static final Path RECEIVER_LAUNCHER = Path.of("../receiver/target/lookout-receiver").toAbsolutePath();

    private Rig() {
    }

    /**
     * The executor for a task that reads a child's output: a thread of its own. Never the common
     * pool: from Java 25 on, CompletableFuture uses it even when its parallelism is 1 (two cores),
     * so a read that lasts as long as a child would keep every other async task waiting.
     */
    public static void ownThread(Runnable task) {
        Thread thread = new Thread(task, "child output");
        thread.setDaemon(true);
        thread.start();
    }

    /** The java of this test run. */
    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** {@code java -jar lookout-agent.jar ARGS...}, output and errors into {@code log}. */
    public static Process agent(Path log, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(java(), "-jar", AGENT.toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /**
     * The receiver started per connection by {@code systemd-socket-activate --accept --inetd} through
     * its launcher, with a configuration file, as the socket unit does; returned once it listens.
     */
    public static Process activatedReceiver(int port, Path images, Path key) throws IOException {
        Path config = Files.writeString(images.resolveSibling("receiver-" + port + ".properties"),
                "dir=" + images + "\nkey-file=" + key + "\nmin-free=0\n");
        Process activator = new ProcessBuilder("systemd-socket-activate", "--accept", "--inetd", "-l", "127.0.0.1:" + port,
                RECEIVER_LAUNCHER.toString(), "--config", config.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader err = new BufferedReader(new InputStreamReader(activator.getErrorStream(), StandardCharsets.UTF_8));
        String line = err.readLine();
        assertTrue(line != null && line.startsWith("Listening on"), String.valueOf(line));
        CompletableFuture.runAsync(() -> err.lines().forEach(ignored -> { }), Rig::ownThread);
        return activator;
    }

    /** The images a receiver stored under {@code images}, in name order (no latest.jpg, nothing hidden). */
    public static List<Path> stored(Path images) {
        if (!Files.exists(images)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(images)) {
            return walk.filter(p -> p.toString().endsWith(".jpg") && !p.getFileName().toString().equals("latest.jpg")
                    && !images.relativize(p).toString().contains("/.") && !images.relativize(p).toString().startsWith("."))
                    .sorted().toList();
        } catch (IOException | UncheckedIOException e) {
            return stored(images); // a temporary vanished under the walk: look again
        }
    }

    /** What {@code lookout-agent ctl} said: its exit code and output. */
    public record Ctl(int code, String out) {
    }

    /** {@code lookout-agent ctl --control SOCKET COMMAND}. */
    public static Ctl ctl(Path socket, String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(java(), "-jar", AGENT.toString(), "ctl", "--control", socket.toString(), command)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Ctl(p.exitValue(), out);
    }

    /** Waits for a condition, failing the test after {@code seconds}. */
    public static void await(BooleanSupplier condition, int seconds) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < end, "condition not met within " + seconds + " s");
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    /** A loopback port free a moment ago. */
    public static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** A file's text, or "" while it does not exist. */
    public static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A clip for the {@code file:} source: {@code frames} JPEGs, 320x240, a person crossing from
     * frame 10. Returns each frame's bytes, which are also the bytes of the stills taken of it.
     */
    public static List<byte[]> crossingClip(Path dir, int frames) throws IOException {
        Files.createDirectories(dir);
        dev.lookout.agent.capture.SyntheticScene scene = dev.lookout.agent.capture.SyntheticScene.builder(320, 240)
                .frames(frames).object(10, 8, 40, 80).build();
        List<byte[]> jpegs = new ArrayList<>();
        dev.lookout.agent.capture.Frame frame;
        while ((frame = scene.next()) != null) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            javax.imageio.ImageIO.write(frame.image(), "jpeg", out);
            jpegs.add(out.toByteArray());
            Files.write(dir.resolve(String.format("frame-%04d.jpg", frame.index())), out.toByteArray());
        }
        return jpegs;
    }

    /** Where the receiver (in this machine's zone) files a still of {@code camera} taken at {@code captureMillis}. */
    public static String nameOf(String camera, long captureMillis) {
        java.time.LocalDateTime local = java.time.LocalDateTime.ofInstant(java.time.Instant.ofEpochMilli(captureMillis),
                java.time.ZoneId.systemDefault());
        return camera + "/" + local.format(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd/HH-mm-ss.SSS")) + ".jpg";
    }

    /** A JPEG without its Exif blocks (APP1 segments that start with "Exif"), read independently of the agent's code. */
    public static byte[] withoutExif(byte[] jpeg) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        int at = 2;
        while ((jpeg[at] & 0xFF) == 0xFF && (jpeg[at + 1] & 0xF0) == 0xE0) {
            int length = 2 + ((jpeg[at + 2] & 0xFF) << 8 | (jpeg[at + 3] & 0xFF));
            boolean exif = (jpeg[at + 1] & 0xFF) == 0xE1
                    && new String(jpeg, at + 4, 4, StandardCharsets.US_ASCII).equals("Exif");
            if (!exif) {
                out.write(jpeg, at, length);
            }
            at += length;
        }
        out.write(jpeg, at, jpeg.length - at);
        return out.toByteArray();
    }
}
