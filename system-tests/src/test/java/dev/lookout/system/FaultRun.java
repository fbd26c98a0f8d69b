package dev.lookout.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * One scenario of the fault test: a receiver activated per connection inside the receiver's
 * namespace, with a key, storing into its own image root; a spool whose outbox gets distinct
 * stills; the agent's {@code flush} run again and again inside the agent's namespace (the "pump",
 * as the flush timer and the running agent would) while the scenario does its harm; then, once the
 * fault is gone, the time until the spool is empty, and the receiver's images checked by SHA-256.
 */
final class FaultRun implements AutoCloseable {
    /** How long the drain may take once the fault is gone before what is left counts as stuck. */
    static final int RECOVERY_LIMIT_SECONDS = 90;

    /**
     * One scenario's outcome, a row of the table.
     *
     * @param partial images the receiver shows whose bytes are no still sent
     * @param temporaries hidden {@code .*.part} files that a killed receiver left (by design: prune
     *                    removes them once an hour old); counted, not a failure
     */
    record Row(String scenario, int sent, int stored, int lost, int duplicated, int partial, int setAside, int stuck,
               double recoverySeconds, int temporaries, String note) {
        String format() {
            return String.format(java.util.Locale.ROOT, "%-22s %5d %6d %4d %10d %7d %9d %5d %10s %5d  %s", scenario,
                    sent, stored, lost, duplicated, partial, setAside, stuck,
                    Double.isNaN(recoverySeconds) ? "stuck" : String.format(java.util.Locale.ROOT, "%.1f", recoverySeconds),
                    temporaries, note);
        }

        static String header() {
            return String.format("%-22s %5s %6s %4s %10s %7s %9s %5s %10s %5s  %s", "scenario", "sent", "stored", "lost",
                    "duplicated", "partial", "set_aside", "stuck", "recovery_s", "temps", "fault");
        }

        boolean clean() {
            return lost == 0 && duplicated == 0 && partial == 0 && setAside == 0 && stuck == 0;
        }
    }

    final String name;
    final Path dir;
    final Path images;
    final Path spool;
    private final NetPair net;
    private final Path key;
    private final byte[] jpeg;
    private final int port;
    private final List<Path> mounts = new ArrayList<>();
    private final Set<String> sent = new HashSet<>();
    private Process activator;
    private Process relay;
    private int targetPort;
    private Thread pump;
    private volatile boolean pumping;
    private volatile int lastExit = -1;
    private volatile int failures;
    private volatile String lastOutput = "";
    private long liftedNanos;
    private String note = "";

    FaultRun(String name, Path work, NetPair net, Path key, byte[] jpeg, int port) throws IOException {
        this.name = name;
        this.dir = Files.createDirectories(work.resolve(name));
        this.images = Files.createDirectories(dir.resolve("images"));
        this.spool = Files.createDirectories(dir.resolve("spool"));
        this.net = net;
        this.key = key;
        this.jpeg = jpeg;
        this.port = port;
        this.targetPort = port;
    }

    /** Mounts a small tmpfs ({@code size=…}, {@code nr_inodes=…}) on a folder of this run. */
    FaultRun tmpfs(Path folder, String options) throws IOException, InterruptedException {
        NetPair.run(List.of("mount", "-t", "tmpfs", "-o", options, "tmpfs", folder.toString()));
        mounts.add(folder);
        return this;
    }

    /** Changes a tmpfs's limits in place: the disk is larger (the user made room). */
    void remount(Path folder, String options) throws IOException, InterruptedException {
        NetPair.run(List.of("mount", "-o", "remount," + options, folder.toString()));
    }

    /** Starts {@code systemd-socket-activate --accept --inetd} with the receiver's launcher in its namespace. */
    FaultRun receiver() throws IOException {
        Path config = Files.writeString(dir.resolve("receiver.properties"),
                "dir=" + images + "\nkey-file=" + key + "\nmin-free=0\nidle-timeout=5s\n");
        activator = new ProcessBuilder(net.inReceiver("systemd-socket-activate", "--accept", "--inetd", "-l",
                net.receiverIp + ":" + port, Sh.REPO.resolve("receiver/target/lookout-receiver").toString(), "--config",
                config.toString())).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader err = new BufferedReader(new InputStreamReader(activator.getErrorStream(), StandardCharsets.UTF_8));
        String line = err.readLine();
        assertTrue(line != null && line.startsWith("Listening on"), String.valueOf(line));
        Path log = dir.resolve("receiver.log");
        CompletableFuture.runAsync(() -> {
            try {
                for (String l = err.readLine(); l != null; l = err.readLine()) {
                    Files.writeString(log, l + "\n", java.nio.file.StandardOpenOption.CREATE,
                            java.nio.file.StandardOpenOption.APPEND);
                }
            } catch (IOException e) {
                // the activator is gone: nothing more to log
            }
        });
        return this;
    }

    /** Puts a {@link FaultRelay} in front of the receiver (in its namespace); the agent sends to it. */
    FaultRun relay() throws IOException {
        targetPort = port + 1000;
        List<String> command = net.inReceiver(Sh.java(), "-cp", System.getProperty("java.class.path"),
                FaultRelay.class.getName(), net.receiverIp, String.valueOf(targetPort), net.receiverIp,
                String.valueOf(port), String.valueOf(port));
        relay = new ProcessBuilder(command).redirectError(dir.resolve("relay.log").toFile()).start();
        String ready = new BufferedReader(new InputStreamReader(relay.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assertEquals("relay ready", ready);
        return this;
    }

    /** Tells the relay what to do to the traffic ({@code delay MS}, {@code flip P}, {@code clean}). */
    void relay(String command) throws IOException {
        OutputStream in = relay.getOutputStream();
        in.write((command + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /**
     * Drops up to {@code n} distinct stills into the spool's outbox as another program would (a
     * hidden name, then a rename), each the test JPEG with its own comment and mtime; a disk that
     * fills up ends it early. Returns how many went in; only those count as sent.
     */
    int drop(int n) throws IOException {
        int written = 0;
        for (int i = 0; i < n; i++) {
            int index = sent.size();
            byte[] still = Stills.distinct(jpeg, name + " " + index);
            Path temp = spool.resolve("outbox").resolve(".still-" + index + ".jpg");
            try {
                Files.createDirectories(temp.getParent());
                Files.write(temp, still);
                Files.setLastModifiedTime(temp, FileTime.fromMillis(1_777_890_000_000L + index * 1000L));
                Files.move(temp, temp.resolveSibling("still-" + index + ".jpg"), StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException full) {
                Files.deleteIfExists(temp);
                break;
            }
            sent.add(sha256(still));
            written++;
        }
        return written;
    }

    /** One {@code lookout-agent flush}, started in the agent's namespace. */
    Process startFlush() throws IOException {
        List<String> command = net.inAgent(Sh.java(), "-XX:TieredStopAtLevel=1", "-jar",
                Sh.REPO.resolve("agent/target/lookout-agent.jar").toString(), "flush", "--spool", spool.toString(), "--to",
                net.receiverIp + ":" + targetPort, "--key-file", key.toString(), "--camera", name, "--batch", "10",
                "--timeout", "3");
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /** Runs one flush to its end; returns its exit status. */
    int flush() throws IOException, InterruptedException {
        Process p = startFlush();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            kill(p);
            p.waitFor();
        }
        int code = p.exitValue();
        Files.writeString(dir.resolve("agent.log"), "--- exit " + code + "\n" + out, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
        lastOutput = out;
        lastExit = code;
        if (code != 0) {
            failures++;
        }
        return code;
    }

    /** Starts flushing again and again, on a thread, until the spool is empty and {@link #stopPump} is called. */
    void startPump() {
        pumping = true;
        pump = new Thread(() -> {
            try {
                while (pumping) {
                    if (flush() != 0) {
                        TimeUnit.MILLISECONDS.sleep(200); // as a timer would: not in a tight loop
                    } else if (drained()) {
                        TimeUnit.MILLISECONDS.sleep(100);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "pump-" + name);
        pump.start();
    }

    void stopPump() throws InterruptedException {
        pumping = false;
        if (pump != null) {
            pump.join(TimeUnit.SECONDS.toMillis(150));
            pump = null;
        }
    }

    int lastExit() {
        return lastExit;
    }

    /** How many lines of the flushes' output so far contain {@code text}. */
    long logged(String text) throws IOException {
        Path log = dir.resolve("agent.log");
        try (Stream<String> lines = Files.exists(log) ? Files.lines(log) : Stream.empty()) {
            return lines.filter(line -> line.contains(text)).count();
        }
    }

    /** How many flushes of this run failed so far. */
    int failures() {
        return failures;
    }

    String lastOutput() {
        return lastOutput;
    }

    /** How many receiver JVMs serve a connection now. */
    int receivers() {
        return receiverJvms().size();
    }

    /** Kills with -9 every receiver JVM serving a connection now; returns how many. */
    int killReceivers() {
        List<ProcessHandle> jvms = receiverJvms();
        jvms.forEach(ProcessHandle::destroyForcibly);
        return jvms.size();
    }

    private List<ProcessHandle> receiverJvms() {
        return activator.toHandle().descendants().filter(p -> p.info().command().orElse("").endsWith("/java")).toList();
    }

    static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    /** Nothing waits in the spool or its outbox. */
    boolean drained() {
        return frames(spool).isEmpty() && files(spool.resolve("outbox")).isEmpty();
    }

    /** How many images the receiver has stored so far. */
    int stored() {
        return storedImages().size();
    }

    /** Marks the moment the fault is gone: recovery is timed from here. */
    void lifted(String fault) {
        liftedNanos = System.nanoTime();
        note = fault;
    }

    /** Waits for a condition for at most {@code seconds}; false when it was not met in time. */
    static boolean await(BooleanSupplier condition, int seconds) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        return true;
    }

    /**
     * Lets the pump drain what is left (starting it if need be), then compares the SHA-256 of every
     * image the receiver stored with the stills sent.
     */
    Row finish() throws InterruptedException {
        if (pump == null) {
            startPump();
        }
        boolean drained = await(this::drained, RECOVERY_LIMIT_SECONDS);
        double recovery = drained ? (System.nanoTime() - liftedNanos) / 1e9 : Double.NaN;
        stopPump();
        Map<String, Integer> counts = new HashMap<>();
        int partial = 0;
        for (Path image : storedImages()) {
            String sha = sha256(read(image));
            if (sent.contains(sha)) {
                counts.merge(sha, 1, Integer::sum);
            } else {
                partial++;
            }
        }
        int temporaries = (int) walk(images).filter(p -> p.getFileName().toString().endsWith(".part")).count();
        int stored = counts.values().stream().mapToInt(Integer::intValue).sum();
        int lost = (int) sent.stream().filter(sha -> !counts.containsKey(sha)).count();
        int duplicated = stored - counts.size();
        int setAside = frames(spool.resolve("rejected")).size();
        int stuck = frames(spool).size() + files(spool.resolve("outbox")).size();
        return new Row(name, sent.size(), stored, lost, duplicated, partial, setAside, stuck, recovery, temporaries, note);
    }

    private List<Path> storedImages() {
        return walk(images).filter(p -> {
            Path relative = images.relativize(p);
            return p.toString().endsWith(".jpg") && relative.getNameCount() == 3
                    && Stream.of(relative.toString().split("/")).noneMatch(part -> part.startsWith("."));
        }).toList();
    }

    private static Stream<Path> walk(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).toList().stream();
        } catch (IOException | UncheckedIOException e) {
            return walk(root); // a temporary vanished under the walk: look again
        }
    }

    private static List<Path> frames(Path folder) {
        return files(folder).stream().filter(p -> p.getFileName().toString().endsWith(".frame")).toList();
    }

    private static List<Path> files(Path folder) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> !p.getFileName().toString().startsWith(".") && Files.isRegularFile(p)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stops every process of the run and takes the faults and mounts away, whatever happened. */
    @Override
    public void close() throws Exception {
        stopPump();
        for (Process p : new Process[] {relay, activator}) {
            if (p != null) {
                kill(p);
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
        net.clearRules();
        for (Path mount : mounts) {
            NetPair.run(List.of("umount", "-l", mount.toString()));
        }
    }
}
