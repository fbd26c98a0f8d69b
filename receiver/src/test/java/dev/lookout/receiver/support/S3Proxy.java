package dev.lookout.receiver.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real S3 server: S3Proxy's standalone jar (copied into {@code target/s3proxy/} by the build) as a
 * child process on a free loopback port, with its filesystem backend: a bucket is a folder under
 * {@link #data()}, an object a plain file at {@code <data>/<bucket>/<key>}.
 */
public final class S3Proxy implements AutoCloseable {
    public static final String ACCESS_KEY = "lookout-test";
    public static final String SECRET_KEY = "s3cr3t-for-tests";
    private static final Path JAR = Path.of("target/s3proxy/s3proxy.jar").toAbsolutePath();
    private static final Pattern STARTED = Pattern.compile("ServerConnector@.*\\{127\\.0\\.0\\.1:(\\d+)}");

    private final Process process;
    private final Path data;
    private final int port;

    private S3Proxy(Process process, Path data, int port) {
        this.process = process;
        this.data = data;
        this.port = port;
    }

    /** Starts a server whose data lives under {@code dir}; returns once it listens. */
    public static S3Proxy start(Path dir) throws Exception {
        Path data = Files.createDirectories(dir.resolve("s3-data"));
        Path properties = Files.write(dir.resolve("s3proxy.properties"), List.of(
                "s3proxy.endpoint=http://127.0.0.1:0",
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + ACCESS_KEY,
                "s3proxy.credential=" + SECRET_KEY,
                "jclouds.provider=filesystem-nio2",
                "jclouds.filesystem.basedir=" + data));
        Process process = new ProcessBuilder(Program.javaBinary(), "-Xmx256m", "-jar", JAR.toString(),
                "--properties", properties.toString()).redirectErrorStream(true).start();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    Matcher m = STARTED.matcher(line);
                    if (m.find()) {
                        port.complete(Integer.parseInt(m.group(1)));
                    }
                }
                port.completeExceptionally(new IllegalStateException("S3Proxy ended before it listened"));
            } catch (IOException e) {
                port.completeExceptionally(e);
            }
        }, "s3proxy-log");
        reader.setDaemon(true);
        reader.start();
        try {
            return new S3Proxy(process, data, port.get(60, TimeUnit.SECONDS));
        } catch (Exception e) {
            process.destroyForcibly();
            throw e;
        }
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public Path data() {
        return data;
    }

    /** Creates a bucket: a folder of the filesystem backend. */
    public Path bucket(String name) throws IOException {
        return Files.createDirectories(data.resolve(name));
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
