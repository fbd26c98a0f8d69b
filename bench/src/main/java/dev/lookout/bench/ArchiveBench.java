package dev.lookout.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * 'archive' on a backlog of 10,000 stills of about 100 KB (two cameras, a still every 30 s) to
 * S3Proxy on loopback (its filesystem backend, a child process), run as the units run it (the
 * launcher, {@code lookout-receiver archive}): the first run (stills per second, peak RSS of the
 * run), a second run over the same tree, then the start-up with the SDK (one new still) against a
 * run with nothing new, which does not load it. {@code bench/run archive S3PROXY_JAR [STILLS]}.
 */
public final class ArchiveBench {
    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyy-MM-dd/HH-mm-ss.SSS");
    private static final Pattern PORT = Pattern.compile("ServerConnector@.*\\{127\\.0\\.0\\.1:(\\d+)}");
    private static final String SECRET = "bench-secret";

    private ArchiveBench() {
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        int stills = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        Path work = Scratch.directory("lookout-archive");
        Path root = work.resolve("images");
        Random random = new Random(19);
        long bytes = 0;
        Instant start = Instant.parse("2026-11-01T00:00:00Z");
        for (int i = 0; i < stills; i++) {
            byte[] still = new byte[90_000 + random.nextInt(20_000)];
            random.nextBytes(still);
            bytes += still.length;
            write(root, i % 2 == 0 ? "front-door" : "garden", start.plusSeconds(30L * (i / 2)), still);
        }
        Path data = Files.createDirectories(work.resolve("s3/lookout")).getParent();
        Path credentials = work.resolve("s3-credentials");
        Files.createFile(credentials, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(credentials, "access-key=bench\nsecret-key=" + SECRET + "\n");
        Process server = s3proxy(jar, work, data);
        try {
            String endpoint = "http://127.0.0.1:" + port(server);
            List<String> command = List.of(Path.of("receiver/target/lookout-receiver").toAbsolutePath().toString(), "archive",
                    "--dir", root.toString(), "--s3-endpoint", endpoint, "--s3-bucket", "lookout", "--s3-path-style",
                    "--s3-credentials", credentials.toString());
            System.out.printf(Locale.ROOT, "%,d stills, %.0f KB on average, to S3Proxy 4.1.0 (filesystem backend) on loopback; %s, %d cores%n%n",
                    stills, bytes / 1024.0 / stills, ReceiverBench.cpu(), Runtime.getRuntime().availableProcessors());
            System.out.println("| run | wall time (JVM start included) | stills/s | peak RSS of the run |");
            System.out.println("|---|---:|---:|---:|");
            Run first = run(command);
            System.out.printf(Locale.ROOT, "| first: the backlog | %.1f s | **%.0f** | **%d MB** |%n", first.millis / 1000.0,
                    stills * 1000.0 / first.millis, first.peakKb / 1024);
            Run second = run(command);
            System.out.printf(Locale.ROOT, "| second: nothing new | **%.2f s** | | %d MB |%n", second.millis / 1000.0, second.peakKb / 1024);
            write(root, "front-door", start.plusSeconds(30L * stills), new byte[100_000]);
            Run one = run(command);
            System.out.printf(Locale.ROOT, "| one new still (SDK loaded) | %.2f s | | %d MB |%n", one.millis / 1000.0, one.peakKb / 1024);
            Run none = run(command);
            System.out.printf(Locale.ROOT, "| nothing new (SDK not loaded) | %.2f s | | %d MB |%n", none.millis / 1000.0, none.peakKb / 1024);
            System.out.println();
            System.out.println("last summary line: " + one.summary);
        } finally {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private record Run(long millis, long peakKb, String summary) {
    }

    /** Runs the command to its end; its wall time and its peak RSS (VmHWM, read until it exits). */
    private static Run run(List<String> command) throws Exception {
        long begin = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        Path status = Path.of("/proc", Long.toString(p.pid()), "status");
        long peak = 0;
        while (!p.waitFor(20, TimeUnit.MILLISECONDS)) {
            try {
                for (String line : Files.readAllLines(status)) {
                    if (line.startsWith("VmHWM:")) {
                        peak = Math.max(peak, Long.parseLong(line.replaceAll("\\D", "")));
                    }
                }
            } catch (IOException gone) {
                // exited meanwhile
            }
        }
        long millis = (System.nanoTime() - begin) / 1_000_000;
        String text = out.get();
        if (p.exitValue() != 0) {
            throw new IllegalStateException("archive exited " + p.exitValue() + ": " + text);
        }
        return new Run(millis, peak, text.strip());
    }

    private static Process s3proxy(Path jar, Path work, Path data) throws IOException {
        Path properties = Files.write(work.resolve("s3proxy.properties"), List.of("s3proxy.endpoint=http://127.0.0.1:0",
                "s3proxy.authorization=aws-v2-or-v4", "s3proxy.identity=bench", "s3proxy.credential=" + SECRET,
                "jclouds.provider=filesystem-nio2", "jclouds.filesystem.basedir=" + data));
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(),
                "--properties", properties.toString()).redirectErrorStream(true).start();
    }

    /** The port S3Proxy says it listens on; its log is drained after that. */
    private static int port(Process server) throws Exception {
        BufferedReader log = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = log.readLine()) != null; ) {
            Matcher m = PORT.matcher(line);
            if (m.find()) {
                Thread drain = new Thread(() -> {
                    try {
                        log.transferTo(java.io.Writer.nullWriter());
                    } catch (IOException e) {
                        // ended
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return Integer.parseInt(m.group(1));
            }
        }
        throw new IllegalStateException("S3Proxy ended before it listened");
    }

    private static void write(Path root, String camera, Instant taken, byte[] still) throws IOException {
        Path file = root.resolve(camera).resolve(NAME.format(LocalDateTime.ofInstant(taken, ZoneOffset.UTC)) + ".jpg");
        Files.createDirectories(file.getParent());
        Files.write(file, still);
        Files.setLastModifiedTime(file, FileTime.from(taken));
    }
}
