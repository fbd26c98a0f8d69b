package dev.lookout.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lookout.protocol.PresharedKey;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The xinetd example, served by Debian's xinetd: a receiver per upload. Only what ties it to an
 * installed system changes: the port (a free one), the program (this build's launcher), its
 * config file, and the user and group (the test's own: there is no lookout user to switch to).
 */
class XinetdIT {
    @TempDir
    Path dir;

    @Test
    void xinetdStartsAReceiverPerUpload() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Path images = dir.resolve("images");
        Path key = dir.resolve("receiver.key");
        PresharedKey.generate(key);
        Path config = Files.writeString(dir.resolve("receiver.properties"),
                "dir=" + images + "\nkey-file=" + key + "\nmin-free=0\n");
        String example = Files.readString(Sh.REPO.resolve("units/receiver/xinetd/lookout-receiver"));
        String service = example.replaceAll("(?m)^(\\s*user\\s*=).*", "$1 " + System.getProperty("user.name"))
                .replaceAll("(?m)^(\\s*group\\s*=).*", "$1 " + Sh.run("id", "-gn").out())
                .replaceAll("(?m)^(\\s*port\\s*=).*", "$1 " + port)
                .replaceAll("(?m)^(\\s*server\\s*=).*", "$1 " + Sh.REPO.resolve("receiver/target/lookout-receiver"))
                .replaceAll("(?m)^(\\s*server_args\\s*=).*", "$1 --config " + config);
        assertTrue(service.contains("port        = " + port), service);
        Path conf = Files.writeString(dir.resolve("xinetd.conf"), service);
        Process xinetd = new ProcessBuilder("/usr/sbin/xinetd", "-dontfork", "-stayalive", "-filelog",
                dir.resolve("xinetd.log").toString(), "-f", conf.toString(), "-pidfile", dir.resolve("xinetd.pid").toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("xinetd.out").toFile()).start();
        try {
            awaitListening(port, xinetd);
            Path a = write("a.jpg", 1);
            Path b = write("b.jpg", 2);
            Sh.Result sent = Sh.run(Sh.java(), "-jar", Sh.REPO.resolve("agent/target/lookout-agent.jar").toString(),
                    "send", "--to", "127.0.0.1:" + port, "--key-file", key.toString(), "--camera", "porch", a.toString(),
                    b.toString());
            assertEquals(0, sent.code(), sent.out());
            assertEquals(2, images(images).size(), sent.out());
            try (Socket garbage = new Socket()) {
                garbage.connect(new InetSocketAddress("127.0.0.1", port));
                OutputStream out = garbage.getOutputStream();
                out.write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                garbage.shutdownOutput();
                String reply = new String(garbage.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(reply.startsWith("ERR "), reply);
            }
            assertEquals(2, images(images).size(), "garbage stores nothing");
        } finally {
            xinetd.destroy();
            xinetd.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private Path write(String name, int seed) throws Exception {
        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(64, 48, java.awt.image.BufferedImage.TYPE_INT_RGB);
        image.setRGB(seed, seed, 0xFFFFFF);
        Path file = dir.resolve(name);
        javax.imageio.ImageIO.write(image, "jpeg", file.toFile());
        return file;
    }

    private static List<Path> images(Path root) throws Exception {
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> p.toString().endsWith(".jpg") && !Files.isSymbolicLink(p)
                    && !p.getFileName().toString().startsWith(".")).toList();
        }
    }

    private void awaitListening(int port, Process xinetd) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
                probe.shutdownOutput();
                probe.getInputStream().readAllBytes(); // an empty upload: the receiver answers and exits
                return;
            } catch (java.io.IOException notYet) {
                assertTrue(xinetd.isAlive() && System.nanoTime() < end, Sh.run("cat", dir.resolve("xinetd.log").toString(),
                        dir.resolve("xinetd.out").toString()).out());
                TimeUnit.MILLISECONDS.sleep(50);
            }
        }
    }
}
