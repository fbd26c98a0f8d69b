package dev.lookout.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Debian's mosquitto on a free loopback port with a config of its own (never the system's broker
 * on 1883), with persistence so that a stopped broker keeps its subscribers' sessions.
 */
final class Broker implements AutoCloseable {
    private final Path config;
    private final Path log;
    private final int port;
    private Process process;

    private Broker(Path config, Path log, int port) {
        this.config = config;
        this.log = log;
        this.port = port;
    }

    static Broker start(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Path config = Files.writeString(dir.resolve("mosquitto.conf"), "user root\nlistener " + port
                + " 127.0.0.1\nallow_anonymous true\npersistence true\npersistence_location " + dir + "/\n");
        Broker broker = new Broker(config, dir.resolve("mosquitto.log"), port);
        broker.start();
        return broker;
    }

    /** Starts it (again, on the same port) and waits until it listens. */
    void start() throws IOException, InterruptedException {
        String program = Files.isExecutable(Path.of("/usr/sbin/mosquitto")) ? "/usr/sbin/mosquitto" : "mosquitto";
        process = new ProcessBuilder(program, "-c", config.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        for (int tries = 0; ; tries++) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                if (!process.isAlive() || tries > 500) {
                    throw new IllegalStateException("mosquitto did not start: " + Files.readString(log));
                }
                TimeUnit.MILLISECONDS.sleep(20);
            }
        }
    }

    /** Stops it (SIGTERM: it saves its sessions). */
    void stop() throws InterruptedException {
        process.destroy();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    int port() {
        return port;
    }

    /**
     * {@code mosquitto_sub} at QoS 1 writing a line per message in {@code format} ({@code -F}) to
     * {@code out}; {@code session} are more options ({@code -c -i ID} for a session kept by the broker).
     */
    Process subscribe(Path out, String topic, String format, String... session) throws IOException {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("mosquitto_sub", "-p",
                String.valueOf(port), "-q", "1", "-t", topic, "-F", format));
        command.addAll(java.util.List.of(session));
        return new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop();
        }
    }
}
