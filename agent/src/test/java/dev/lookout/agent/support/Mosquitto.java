package dev.lookout.agent.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's mosquitto as a child process on a free loopback port with a config of its own (never the
 * system's broker on 1883): anonymous, or with a password file; optionally a TLS listener with a
 * test CA made here with openssl; with persistence, so that a stopped and restarted broker keeps
 * its clients' sessions.
 */
public final class Mosquitto implements AutoCloseable {
    private final Path dir;
    private final Path config;
    private final int port;
    private final int tlsPort;
    private Process process;

    private Mosquitto(Path dir, Path config, int port, int tlsPort) {
        this.dir = dir;
        this.config = config;
        this.port = port;
        this.tlsPort = tlsPort;
    }

    /**
     * Starts a broker whose files live in {@code dir}.
     *
     * @param user     with a password file holding this user, else anonymous
     * @param password the user's password
     * @param tls      also a TLS listener, its certificate for {@code localhost} signed by {@link #ca()}
     */
    public static Mosquitto start(Path dir, String user, String password, boolean tls) throws Exception {
        Files.createDirectories(dir);
        int port = Rig.freePort();
        int tlsPort = tls ? Rig.freePort() : -1;
        // as root, mosquitto would become user mosquitto, who may not read these files; as anyone else this has no effect
        StringBuilder text = new StringBuilder("user root\nper_listener_settings false\npersistence true\npersistence_location "
                + dir + "/\nautosave_interval 1\nlog_dest stderr\nmax_queued_messages 100000\n");
        if (user != null) {
            Path passwords = dir.resolve("passwords");
            run(List.of("mosquitto_passwd", "-c", "-b", passwords.toString(), user, password));
            text.append("allow_anonymous false\npassword_file ").append(passwords).append('\n');
        } else {
            text.append("allow_anonymous true\n");
        }
        text.append("listener ").append(port).append(" 127.0.0.1\n");
        if (tls) {
            makeCertificates(dir);
            text.append("listener ").append(tlsPort).append(" 127.0.0.1\ncafile ").append(dir.resolve("ca.pem"))
                    .append("\ncertfile ").append(dir.resolve("server.pem")).append("\nkeyfile ").append(dir.resolve("server.key"))
                    .append('\n');
        }
        Path config = Files.writeString(dir.resolve("mosquitto.conf"), text);
        Mosquitto broker = new Mosquitto(dir, config, port, tlsPort);
        broker.start();
        return broker;
    }

    /** Starts it (again, on the same ports, with its saved sessions) and waits until it listens. */
    public void start() throws Exception {
        String program = Files.isExecutable(Path.of("/usr/sbin/mosquitto")) ? "/usr/sbin/mosquitto" : "mosquitto";
        process = new ProcessBuilder(program, "-c", config.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("mosquitto.log").toFile())).start();
        Rig.await(() -> {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return true;
            } catch (IOException e) {
                assertTrue(process.isAlive(), "mosquitto exited: " + Rig.read(dir.resolve("mosquitto.log")));
                return false;
            }
        }, 30);
    }

    /** Stops it (SIGTERM: it saves its clients' sessions) and waits until it is gone. */
    public void stop() throws InterruptedException {
        process.destroy();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
    }

    public int port() {
        return port;
    }

    public int tlsPort() {
        return tlsPort;
    }

    /** The test CA's certificate (PEM). */
    public Path ca() {
        return dir.resolve("ca.pem");
    }

    /** {@code mosquitto_pub} to this broker, as {@code user} when given. */
    public void publish(String topic, String payload, String... auth) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("mosquitto_pub", "-h", "127.0.0.1", "-p",
                String.valueOf(port), "-q", "1", "-t", topic, "-m", payload));
        command.addAll(List.of(auth));
        run(command);
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            stop();
        }
    }

    /** A CA and a certificate for {@code localhost} (no IP address) signed by it. */
    private static void makeCertificates(Path dir) throws Exception {
        String d = dir + "/";
        run(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=Lookout test CA",
                "-keyout", d + "ca.key", "-out", d + "ca.pem"));
        run(List.of("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-keyout", d + "server.key",
                "-out", d + "server.csr"));
        Files.writeString(dir.resolve("san.ext"), "subjectAltName=DNS:localhost\n");
        run(List.of("openssl", "x509", "-req", "-days", "2", "-in", d + "server.csr", "-CA", d + "ca.pem", "-CAkey",
                d + "ca.key", "-CAcreateserial", "-extfile", d + "san.ext", "-out", d + "server.pem"));
    }

    private static void run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), command + ": " + out);
    }
}
