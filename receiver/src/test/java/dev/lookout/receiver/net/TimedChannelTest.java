package dev.lookout.receiver.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The socket {@link Connection} on a real loopback connection: every wait ends at the idle timeout or the deadline. */
class TimedChannelTest {
    /** More than loopback's socket buffers hold, so that a write waits for a client that does not read. */
    private static final byte[] FLOOD = new byte[64 << 20];

    private ServerSocketChannel server;
    private SocketChannel client;
    private SocketChannel accepted;

    @BeforeEach
    void connect() throws IOException {
        server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        client = SocketChannel.open(server.getLocalAddress());
        accepted = server.accept();
    }

    @AfterEach
    void close() throws IOException {
        accepted.close();
        client.close();
        server.close();
    }

    @Test
    void aWriteToAClientThatDoesNotReadEndsAtTheIdleTimeout() throws IOException {
        try (TimedChannel connection = new TimedChannel(accepted, Duration.ofMillis(300), Duration.ofSeconds(20))) {
            long start = System.nanoTime();
            SocketTimeoutException e = assertThrows(SocketTimeoutException.class, () -> connection.write(FLOOD));
            assertEquals("client idle for 300 ms", e.getMessage());
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos());
        }
    }

    @Test
    void aWriteToAClientThatDoesNotReadEndsAtTheDeadline() throws IOException {
        try (TimedChannel connection = new TimedChannel(accepted, Duration.ofSeconds(20), Duration.ofSeconds(1))) {
            SocketTimeoutException e = assertThrows(SocketTimeoutException.class, () -> connection.write(FLOOD));
            assertEquals("connection deadline of 1 s passed", e.getMessage());
        }
    }

    @Test
    void readsWhatTheClientSentThenEndOfStreamAndTheClientSeesTheHalfClose() throws IOException {
        try (TimedChannel connection = new TimedChannel(accepted, Duration.ofSeconds(5), Duration.ofSeconds(20))) {
            client.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
            client.shutdownOutput();
            byte[] read = connection.input().readAllBytes();
            assertArrayEquals(new byte[] {1, 2, 3}, read);
            assertEquals(-1, connection.read(new byte[8], 0, 8));
            connection.write(new byte[] {4, 5});
            connection.finish();
            assertArrayEquals(new byte[] {4, 5}, Channels.newInputStream(client).readAllBytes());
        }
    }
}
