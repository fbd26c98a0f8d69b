package dev.lookout.receiver.support;

import dev.lookout.exit.Sysexit;
import dev.lookout.protocol.ImageCipher;
import dev.lookout.receiver.ingest.IngestPolicy;
import dev.lookout.receiver.ingest.Session;
import dev.lookout.receiver.launch.Launcher;
import dev.lookout.receiver.store.ImageStore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The receiver's per-connection code on a real loopback connection, in this JVM: each upload is
 * accepted and served exactly as a socket-activated instance serves its inherited connection.
 */
public final class InProcess implements AutoCloseable {
    public static final long MAX_BYTES = 4L << 20;

    private final ServerSocketChannel server;
    private final Launcher launcher;

    public InProcess(Path root, ImageCipher cipher, boolean allowRaw, long maxBytes, long minFree, Duration idle,
                     Duration deadline) throws IOException {
        IngestPolicy policy = new IngestPolicy(cipher, allowRaw, maxBytes, idle, deadline);
        this.launcher = new Launcher(policy, new Session(policy, new ImageStore(root, ZoneOffset.UTC, minFree)));
        this.server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
    }

    public static InProcess plain(Path root) throws IOException {
        return new InProcess(root, null, true, MAX_BYTES, 0, Duration.ofSeconds(5), Duration.ofSeconds(20));
    }

    public static InProcess keyed(Path root, ImageCipher cipher) throws IOException {
        return new InProcess(root, cipher, false, MAX_BYTES, 0, Duration.ofSeconds(5), Duration.ofSeconds(20));
    }

    /** What the client read and how the connection ended. */
    public record Result(List<String> replies, Sysexit status) {
    }

    /** What a client does on its connection; returns the reply lines it read. */
    public interface Behaviour {
        List<String> run(SocketChannel channel) throws IOException, InterruptedException;
    }

    public Result upload(byte[] payload) throws Exception {
        return connect(channel -> {
            channel.write(java.nio.ByteBuffer.wrap(payload));
            channel.shutdownOutput();
            return Client.lines(channel);
        });
    }

    public Result connect(Behaviour behaviour) throws Exception {
        CompletableFuture<List<String>> client = CompletableFuture.supplyAsync(() -> {
            try (SocketChannel channel = Client.open(server.getLocalAddress())) {
                return behaviour.run(channel);
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Sysexit status = launcher.serve(server.accept());
        try {
            return new Result(client.get(), status);
        } catch (ExecutionException e) {
            throw new AssertionError("client failed", e.getCause());
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
