package dev.lookout.receiver.training;

import dev.lookout.exit.Sysexit;
import dev.lookout.protocol.FrameWriter;
import dev.lookout.protocol.ImageCipher;
import dev.lookout.protocol.PresharedKey;
import dev.lookout.receiver.cli.FastStart;
import dev.lookout.receiver.gallery.Gallery;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
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
import javax.imageio.ImageIO;
import org.apache.commons.io.file.PathUtils;

/**
 * The training run for the launcher's class-data-sharing archive: serves two loopback
 * connections (one encrypted framed image, one raw JPEG) through the same code a
 * socket-activated receiver runs ({@link FastStart}), both stored, then makes a gallery of what
 * arrived, so that the archive holds the classes those paths load.
 * Started as {@code java -XX:ArchiveClassesAtExit=… -cp lookout-receiver.jar …CdsTraining}.
 */
public final class CdsTraining {
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
                byte[] jpeg = still();
                serve(server, config, out -> new FrameWriter(out, cipher).write("training", System.currentTimeMillis(),
                        new byte[16], false, jpeg));
                serve(server, config, out -> out.write(jpeg));
            }
            new Gallery(work.resolve("images")).update();
        } finally {
            PathUtils.deleteDirectory(work);
        }
    }

    /** A small still as a camera makes one, which the receiver's JPEG check accepts, so that storing it is trained too. */
    private static byte[] still() throws IOException {
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB), "jpeg", jpeg);
        return jpeg.toByteArray();
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
        Sysexit status = FastStart.serve(config, server.accept());
        client.get();
        if (status != Sysexit.OK) { // else the archive would lack what storing loads, and nobody would know
            throw new IllegalStateException("the training upload was not stored: exit status " + status.code());
        }
    }
}
