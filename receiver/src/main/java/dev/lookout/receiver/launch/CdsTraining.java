package dev.lookout.receiver.launch;

import dev.lookout.protocol.FrameWriter;
import dev.lookout.protocol.ImageCipher;
import dev.lookout.protocol.PresharedKey;
import dev.lookout.receiver.cli.FastStart;
import dev.lookout.receiver.gallery.Gallery;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.apache.commons.io.file.PathUtils;

/**
 * The training run for the launcher's class-data-sharing archive: serves two loopback
 * connections (one encrypted framed image, one raw JPEG) through the same code a
 * socket-activated receiver runs ({@link FastStart}), then makes a gallery of what arrived, so
 * that the archive holds the classes those paths load.
 * Started as {@code java -XX:ArchiveClassesAtExit=… -cp lookout-receiver.jar …CdsTraining}.
 */
public final class CdsTraining {
    /** The smallest well-formed JPEG structure: SOI, a 1x1 grey frame, one scan, EOI. */
    private static final byte[] JPEG = {
        (byte) 0xFF, (byte) 0xD8,
        (byte) 0xFF, (byte) 0xC0, 0, 11, 8, 0, 1, 0, 1, 1, 1, 0x11, 0,
        (byte) 0xFF, (byte) 0xDA, 0, 8, 1, 1, 0, 0, 63, 0, 0,
        (byte) 0xFF, (byte) 0xD9,
    };

    private CdsTraining() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Files.createTempDirectory("lookout-cds");
        try {
            Path key = work.resolve("key");
            PresharedKey.generate(key);
            Path config = work.resolve("receiver.properties");
            Files.writeString(config, "dir=" + work.resolve("images") + "\nkey-file=" + key
                    + "\nallow-raw=true\nmin-free=0\n");
            try (ServerSocketChannel server = ServerSocketChannel.open()
                    .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                ImageCipher cipher = new ImageCipher(PresharedKey.read(key));
                serve(server, config, out -> new FrameWriter(out, cipher).write("training", System.currentTimeMillis(),
                        new byte[16], false, JPEG));
                serve(server, config, out -> out.write(JPEG));
            }
            galleryOf(work.resolve("images"));
        } finally {
            PathUtils.deleteDirectory(work);
        }
    }

    /** A gallery run (day page, index, a thumbnail) over a still of the training camera, for the classes it loads. */
    private static void galleryOf(Path images) throws IOException {
        Path day = Files.createDirectories(images.resolve("training").resolve("2026-01-01"));
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(64, 48, java.awt.image.BufferedImage.TYPE_INT_RGB),
                "jpeg", day.resolve("00-00-00.000.jpg").toFile());
        new Gallery(images).update();
    }

    private interface Upload {
        void send(OutputStream out) throws IOException;
    }

    private static void serve(ServerSocketChannel server, Path config, Upload upload) throws Exception {
        CompletableFuture<Void> client = CompletableFuture.runAsync(() -> {
            try (SocketChannel channel = SocketChannel.open(server.getLocalAddress())) {
                upload.send(Channels.newOutputStream(channel));
                channel.shutdownOutput();
                Channels.newInputStream(channel).readAllBytes();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        FastStart.serve(config, server.accept());
        client.get();
    }
}
