package dev.lookout.receiver.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lookout.protocol.ImageCipher;
import dev.lookout.protocol.PresharedKey;
import dev.lookout.receiver.support.Client;
import dev.lookout.receiver.support.Jpegs;
import dev.lookout.receiver.support.Program;
import dev.lookout.receiver.support.Trees;
import dev.lookout.receiver.support.Uploads;
import java.net.SocketException;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged receiver started per connection by {@code systemd-socket-activate --accept --inetd},
 * as systemd starts it with {@code Accept=yes} and {@code StandardInput=socket}, and as inetd does.
 */
class SocketActivationIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static byte[] jpeg;

    @TempDir
    Path dir;
    private Path images;
    private Path key;
    private ImageCipher cipher;

    @BeforeAll
    static void image() {
        jpeg = Jpegs.noise(640, 480, 11);
    }

    @BeforeEach
    void keyAndRoot() throws Exception {
        images = dir.resolve("images");
        key = dir.resolve("receiver.key");
        PresharedKey.generate(key);
        cipher = new ImageCipher(PresharedKey.read(key));
    }

    private Program perConnection(Path socket, List<String> command) throws Exception {
        Program activator = Program.start(Program.activate(List.of("--accept", "--inetd"), socket.toString(), command));
        activator.awaitLine(line -> line.startsWith("Listening on"), WAIT);
        return activator;
    }

    @Test
    void theLauncherServesEachConnectionConfiguredByItsFile() throws Exception {
        Path config = Program.config(dir, "dir=" + images, "key-file=" + key, "min-free=0");
        Path socket = dir.resolve("r.sock");
        try (Program activator = perConnection(socket, List.of(Program.LAUNCHER.toString(), "--config", config.toString()))) {
            UnixDomainSocketAddress address = UnixDomainSocketAddress.of(socket);
            List<String> first = Client.send(address, Uploads.framed(cipher, "door", jpeg));
            assertEquals(List.of("OK door/2026-05-04/10-20-30.456.jpg"), first);
            assertArrayEquals(jpeg, Files.readAllBytes(images.resolve("door/2026-05-04/10-20-30.456.jpg")));
            List<String> batch = Client.send(address, Uploads.framed(cipher, "yard", jpeg, jpeg, jpeg));
            assertEquals(3, batch.size());
            assertTrue(batch.stream().allMatch(reply -> reply.startsWith("OK yard/2026-05-04/")), batch.toString());

            List<String> before = Trees.files(images);
            assertStartsWith("ERR bad-frame ", Client.send(address, "garbage\n".getBytes()));
            assertStartsWith("ERR auth ", Client.send(address, Uploads.framed(new ImageCipher(new byte[32]), "door", jpeg)));
            assertStartsWith("ERR raw-refused ", Client.send(address, jpeg));
            assertStartsWith("ERR empty ", Client.send(address, new byte[0]));
            assertStartsWith("ERR bad-camera ", Client.send(address, Uploads.framed(cipher, "x\nINFO forged", jpeg)));
            assertEquals(before, Trees.files(images));
            assertEquals(List.of(0, 0, 65, 77, 65, 65, 65), activator.awaitChildExits(7, WAIT));
            assertTrue(activator.lines().stream().noneMatch(line -> line.startsWith("INFO forged")), activator.stderr());
            assertTrue(activator.stderr().contains("stored peer=local camera=door bytes=" + jpeg.length), activator.stderr());
        }
    }

    @Test
    void javaDashJarWithOptionsOnTheCommandLineServesTheSame() throws Exception {
        Path socket = dir.resolve("r.sock");
        List<String> command = Program.javaJar("--dir", images.toString(), "--key-file", key.toString(), "--min-free", "0");
        try (Program activator = perConnection(socket, command)) {
            assertEquals(List.of("OK door/2026-05-04/10-20-30.456.jpg"),
                    Client.send(UnixDomainSocketAddress.of(socket), Uploads.framed(cipher, "door", jpeg)));
            assertEquals(List.of(0), activator.awaitChildExits(1, WAIT));
        }
    }

    @Test
    void storageBelowTheFloorIsExitStatus74AndNothingIsWritten() throws Exception {
        Path config = Program.config(dir, "dir=" + images, "min-free=1000000T");
        Path socket = dir.resolve("r.sock");
        try (Program activator = perConnection(socket, List.of(Program.LAUNCHER.toString(), "--config", config.toString()))) {
            assertStartsWith("ERR full ", Client.send(UnixDomainSocketAddress.of(socket), Uploads.framed(null, "door", jpeg)));
            assertEquals(List.of(74), activator.awaitChildExits(1, WAIT));
            assertEquals(List.of(), Trees.files(images));
        }
    }

    @Test
    void aBrokenConfigFileIsExitStatus78() throws Exception {
        Path config = Program.config(dir, "dir=" + images, "max_bytes=1M");
        Path socket = dir.resolve("r.sock");
        try (Program activator = perConnection(socket, List.of(Program.LAUNCHER.toString(), "--config", config.toString()))) {
            try {
                assertEquals(List.of(), Client.send(UnixDomainSocketAddress.of(socket), Uploads.framed(null, "door", jpeg)));
            } catch (SocketException resetWithTheUploadUnread) {
                // either way the client gets no OK: the receiver stopped before reading
            }
            assertEquals(List.of(78), activator.awaitChildExits(1, WAIT));
            assertEquals(List.of(), Trees.files(images));
            assertTrue(activator.stderr().contains("Error: config file " + config + " has unknown keys [max_bytes]"),
                    activator.stderr());
        }
    }

    @Test
    void rawUploadsFromNetcatAndSocatLandUnderThePeerAddress() throws Exception {
        Path config = Program.config(dir, "dir=" + images, "min-free=0");
        Path file = Files.write(dir.resolve("still.jpg"), jpeg);
        int port = Program.freePort();
        try (Program activator = perConnection(Path.of("127.0.0.1:" + port),
                List.of(Program.LAUNCHER.toString(), "--config", config.toString()))) {
            List<String> replies = new ArrayList<>();
            for (List<String> client : List.of(List.of("nc", "-N", "127.0.0.1", Integer.toString(port)),
                    List.of("socat", "-t", "30", "-", "TCP:127.0.0.1:" + port))) {
                Process upload = new ProcessBuilder(client).redirectInput(file.toFile()).start();
                replies.add(new String(upload.getInputStream().readAllBytes()).strip());
                assertEquals(0, upload.waitFor());
            }
            for (String reply : replies) {
                assertTrue(reply.matches("OK 127\\.0\\.0\\.1/\\d{4}-\\d\\d-\\d\\d/.*\\.jpg"), reply);
                assertArrayEquals(jpeg, Files.readAllBytes(images.resolve(reply.substring(3))));
            }
            assertEquals(List.of(0, 0), activator.awaitChildExits(2, WAIT));
        }
    }

    @Test
    void aListeningSocketOnStandardInputIsServedUntilIdle() throws Exception {
        Path socket = dir.resolve("r.sock");
        List<String> command = Program.javaJar("--dir", images.toString(), "--min-free", "0", "--idle-exit", "2s");
        try (Program instance = Program.start(Program.activate(List.of("--inetd"), socket.toString(), command))) {
            instance.awaitLine(line -> line.startsWith("Listening on"), WAIT);
            UnixDomainSocketAddress address = UnixDomainSocketAddress.of(socket);
            for (int i = 0; i < 5; i++) {
                byte[] upload = Uploads.frame(null, "door", Uploads.CAPTURE + i, Uploads.id(i), jpeg);
                assertStartsWith("OK door/", Client.send(address, upload));
            }
            instance.awaitLine(line -> line.contains("no connection for 2 s, exiting"), WAIT);
            assertEquals(0, instance.awaitExit(WAIT));
            assertEquals(5, Trees.images(images).size());
            assertEquals(1, instance.lines().stream().filter(line -> line.contains("listening on")).count());
        }
    }

    @Test
    void theLauncherMovesASocketFromListenFdsOntoStandardInput() throws Exception {
        Path config = Program.config(dir, "dir=" + images, "min-free=0", "idle-exit=1s");
        Path listening = dir.resolve("listening.sock");
        Path connected = dir.resolve("connected.sock");
        List<String> launcher = List.of(Program.LAUNCHER.toString(), "--config", config.toString());
        try (Program listener = Program.start(Program.activate(List.of(), listening.toString(), launcher));
             Program perConnection = Program.start(Program.activate(List.of("--accept"), connected.toString(), launcher))) {
            listener.awaitLine(line -> line.startsWith("Listening on"), WAIT);
            perConnection.awaitLine(line -> line.startsWith("Listening on"), WAIT);
            assertStartsWith("OK door/", Client.send(UnixDomainSocketAddress.of(listening), Uploads.framed(null, "door", jpeg)));
            assertStartsWith("OK yard/", Client.send(UnixDomainSocketAddress.of(connected), Uploads.framed(null, "yard", jpeg)));
            assertEquals(List.of(0), perConnection.awaitChildExits(1, WAIT));
            assertEquals(0, listener.awaitExit(WAIT));
        }
    }

    @Test
    void theLauncherTakesAnUpstartSocketBridgeDescriptor() throws Exception {
        Path config = Program.config(dir, "dir=" + images, "min-free=0", "idle-exit=1s");
        Path socket = dir.resolve("upstart.sock");
        List<String> bridge = List.of("env", "-u", "LISTEN_FDS", "-u", "LISTEN_PID", "UPSTART_FDS=3",
                Program.LAUNCHER.toString(), "--config", config.toString());
        try (Program instance = Program.start(Program.activate(List.of(), socket.toString(), bridge))) {
            instance.awaitLine(line -> line.startsWith("Listening on"), WAIT);
            assertStartsWith("OK door/", Client.send(UnixDomainSocketAddress.of(socket), Uploads.framed(null, "door", jpeg)));
            assertEquals(0, instance.awaitExit(WAIT));
        }
    }

    private static void assertStartsWith(String prefix, List<String> replies) {
        assertEquals(1, replies.size(), replies.toString());
        assertTrue(replies.get(0).startsWith(prefix), "expected '" + prefix + "…', got " + replies);
    }

}
