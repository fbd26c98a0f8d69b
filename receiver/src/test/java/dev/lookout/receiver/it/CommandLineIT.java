package dev.lookout.receiver.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lookout.protocol.PresharedKey;
import dev.lookout.receiver.support.Client;
import dev.lookout.receiver.support.Jpegs;
import dev.lookout.receiver.support.Program;
import dev.lookout.receiver.support.Trees;
import dev.lookout.receiver.support.Uploads;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged receiver run by hand: exit codes, one-line errors, key generation, the standalone listener. */
class CommandLineIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Pattern LISTENING = Pattern.compile("listening on /?(\\S+):(\\d+) ");

    @TempDir
    Path dir;

    @Test
    void withNothingToServeItSaysHowToRunItAndExits64() throws Exception {
        Program.Result result = Program.runJar("--dir", dir.toString());
        assertEquals(64, result.code());
        assertEquals("Error: standard input is not a socket and no --listen was given; start it from a systemd socket"
                + " unit or inetd, or with --listen HOST:PORT", result.stderr());
    }

    @Test
    void usageErrorsAreOneLineAndExit64() throws Exception {
        Program.Result unknown = Program.runJar("--bogus");
        assertEquals(64, unknown.code());
        assertTrue(unknown.stderr().startsWith("Error: Unknown option: '--bogus'\n"), unknown.stderr());
        Program.Result badSize = Program.runJar("--max-bytes", "lots");
        assertEquals(64, badSize.code());
        assertTrue(badSize.stderr().startsWith("Error: Invalid value for option '--max-bytes': 'lots' is not a size"),
                badSize.stderr());
    }

    @Test
    void configurationErrorsExit78() throws Exception {
        Program.Result missingKey = Program.runJar("--dir", dir.toString(), "--key-file", dir.resolve("none.key").toString());
        assertEquals(78, missingKey.code());
        assertEquals("Error: key file " + dir.resolve("none.key") + " does not exist (create one with 'keygen')",
                missingKey.stderr());
        Program.Result missingConfig = Program.runJar("--config", dir.resolve("none.properties").toString());
        assertEquals(78, missingConfig.code());
        assertEquals("Error: config file " + dir.resolve("none.properties") + " does not exist", missingConfig.stderr());
        Path notADir = Files.writeString(dir.resolve("file"), "x");
        Program.Result badRoot = Program.runJar("--dir", notADir.resolve("images").toString());
        assertEquals(78, badRoot.code());
        assertTrue(badRoot.stderr().startsWith("Error: cannot create image root"), badRoot.stderr());
    }

    @Test
    void helpListsTheExitCodes() throws Exception {
        Program.Result help = Program.runJar("--help");
        assertEquals(0, help.code());
        for (String code : List.of("64", "65", "70", "74", "77", "78")) {
            assertTrue(help.stderr().contains("\n  " + code + "   "), help.stderr());
        }
    }

    @Test
    void keygenWritesAPrivateKeyOnceAndRefusesToReplaceIt() throws Exception {
        Path key = dir.resolve("lookout.key");
        Program.Result first = Program.runJar("keygen", key.toString());
        assertEquals(0, first.code(), first.stderr());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        assertEquals(32, PresharedKey.read(key).length);
        String written = Files.readString(key);
        Program.Result again = Program.runJar("keygen", key.toString());
        assertEquals(78, again.code());
        assertEquals("Error: " + key + " already exists; remove it first to replace the key", again.stderr());
        assertEquals(written, Files.readString(key));
    }

    @Test
    void theStandaloneListenerServes50ConcurrentConnections() throws Exception {
        Path images = dir.resolve("images");
        byte[] jpeg = Jpegs.noise(320, 240, 21);
        try (Program listener = Program.start(Program.javaJar("--listen", "127.0.0.1:0", "--dir", images.toString(),
                "--min-free", "0", "--max-connections", "8"))) {
            Matcher m = LISTENING.matcher(listener.awaitLine(line -> LISTENING.matcher(line).find(), WAIT));
            assertTrue(m.find());
            SocketAddress address = new InetSocketAddress(m.group(1), Integer.parseInt(m.group(2)));
            ExecutorService clients = Executors.newFixedThreadPool(50);
            try {
                List<CompletableFuture<List<String>>> replies = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    byte[] upload = Uploads.frame(null, "cam" + (i % 5), Uploads.CAPTURE, Uploads.id(i), jpeg);
                    replies.add(CompletableFuture.supplyAsync(() -> {
                        try {
                            return Client.send(address, upload);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }, clients));
                }
                for (CompletableFuture<List<String>> reply : replies) {
                    List<String> lines = reply.get();
                    assertEquals(1, lines.size());
                    assertTrue(lines.get(0).startsWith("OK cam"), lines.toString());
                }
            } finally {
                clients.shutdownNow();
            }
            List<String> stored = Trees.images(images);
            assertEquals(50, stored.size());
            for (String path : stored) {
                assertArrayEquals(jpeg, Files.readAllBytes(images.resolve(path)));
            }
            listener.process().destroy(); // SIGTERM with nothing open: a clean stop
            assertEquals(0, listener.awaitExit(WAIT));
        }
    }

    @Test
    void theStandaloneListenerTakesAUnixSocket() throws Exception {
        Path socket = dir.resolve("receiver.sock");
        try (Program listener = Program.start(Program.javaJar("--listen", "unix:" + socket, "--dir",
                dir.resolve("images").toString(), "--min-free", "0"))) {
            listener.awaitLine(line -> line.contains("listening on " + socket), WAIT);
            List<String> reply = Client.send(UnixDomainSocketAddress.of(socket),
                    Uploads.framed(null, "door", Jpegs.noise(64, 48, 1)));
            assertEquals(List.of("OK door/2026-05-04/10-20-30.456.jpg"), reply);
        }
    }
}
