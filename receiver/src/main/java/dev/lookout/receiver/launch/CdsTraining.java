package dev.lookout.receiver.launch;

import dev.lookout.protocol.FrameWriter;
import dev.lookout.protocol.ImageCipher;
import dev.lookout.protocol.PresharedKey;
import dev.lookout.receiver.cli.FastStart;
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
 * socket-activated receiver runs ({@link FastStart}), so that the archive holds the classes that path loads.
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
        } finally {
            PathUtils.deleteDirectory(work);
        }
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
