package dev.lookout.receiver.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lookout.receiver.support.Client;
import dev.lookout.receiver.support.Jpegs;
import dev.lookout.receiver.support.Program;
import dev.lookout.receiver.support.Trees;
import dev.lookout.receiver.support.Uploads;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the receiver ends under socket activation: every error and every log line reaches standard
 * error (the journal under the units), whatever happened to the inherited socket, and the exit
 * status says what happened.
 */
class LastWordsIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    /**
     * An upload larger than the receiver's heap (max-bytes set above it): the client is told, and
     * the error is in the log, though the connection came in on standard input.
     */
    @Test
    void anErrorOnAnInheritedConnectionReachesTheLog() throws Exception {
        Path images = dir.resolve("images");
        Path socket = dir.resolve("r.sock");
        List<String> command = List.of(Program.javaBinary(), "-Xmx24m", "-jar", Program.JAR.toString(),
                "--dir", images.toString(), "--min-free", "0", "--max-bytes", "256MiB");
        try (Program activator = Program.start(Program.activate(List.of("--accept", "--inetd"), socket.toString(), command))) {
            activator.awaitLine(line -> line.startsWith("Listening on"), WAIT);
            byte[] frame = Uploads.frame(null, "door", Uploads.CAPTURE, Uploads.id(1), new byte[64 << 20]);
            List<String> replies = sendTolerant(UnixDomainSocketAddress.of(socket), frame);
            assertEquals(1, replies.size(), replies.toString());
            assertTrue(replies.get(0).startsWith("ERR io out of memory"), replies.toString());
            assertEquals(List.of(74), activator.awaitChildExits(1, WAIT));
            assertTrue(activator.lines().stream().anyMatch(line -> line.contains("error=io")), activator.stderr());
            assertEquals(List.of(), Trees.files(images));
        }
    }

    /**
     * SIGTERM to a listener on an inherited socket while an upload is half sent: the upload
     * finishes, its line is logged, and the listener exits 0.
     */
    @Test
    void aListenerStoppedMidUploadLogsItAndExits0() throws Exception {
        Path images = dir.resolve("images");
        Path socket = dir.resolve("l.sock");
        List<String> command = Program.javaJar("--dir", images.toString(), "--min-free", "0", "--idle-exit", "60s");
        try (Program listener = Program.start(Program.activate(List.of("--inetd"), socket.toString(), command))) {
            listener.awaitLine(line -> line.startsWith("Listening on"), WAIT); // the receiver starts on the first connection
            byte[] first = Uploads.frame(null, "door", Uploads.CAPTURE, Uploads.id(1), Jpegs.noise(320, 240, 5));
            byte[] second = Uploads.frame(null, "door", Uploads.CAPTURE + 1, Uploads.id(2), Jpegs.noise(320, 240, 6));
            try (SocketChannel channel = Client.open(UnixDomainSocketAddress.of(socket))) {
                channel.write(ByteBuffer.wrap(first));
                ByteBuffer reply = ByteBuffer.allocate(3);
                while (reply.hasRemaining() && channel.read(reply) >= 0) {
                    // the first reply says the connection is being served
                }
                assertEquals("OK ", new String(reply.array(), java.nio.charset.StandardCharsets.US_ASCII));
                channel.write(ByteBuffer.wrap(second, 0, second.length / 2));
                assertEquals(0, new ProcessBuilder("kill", "-TERM", Long.toString(listener.process().pid())).start().waitFor());
                listener.awaitLine(line -> line.contains("stopping"), WAIT);
                channel.write(ByteBuffer.wrap(second, second.length / 2, second.length - second.length / 2));
                channel.shutdownOutput();
                List<String> replies = Client.lines(channel);
                assertEquals(2, replies.size(), replies.toString());
                assertTrue(replies.get(1).startsWith("OK door/"), replies.toString());
            }
            assertEquals(0, listener.awaitExit(WAIT));
            assertEquals(2, listener.lines().stream().filter(line -> line.contains("stored peer=")).count(), listener.stderr());
            assertEquals(2, Trees.images(images).size());
        }
    }

    /**
     * A client that connects and resets at once: by the time the JVM starts, the socket on standard
     * input is neither connected nor listening. That is bad data from the peer (65), not a listener
     * whose accept fails (74).
     */
    @Test
    void aConnectionResetBeforeTheReceiverStartsExits65() throws Exception {
        Path images = dir.resolve("images");
        int port = Program.freePort();
        List<String> command = Program.javaJar("--dir", images.toString(), "--min-free", "0");
        try (Program activator = Program.start(Program.activate(List.of("--accept", "--inetd"), "127.0.0.1:" + port, command))) {
            activator.awaitLine(line -> line.startsWith("Listening on"), WAIT);
            try (SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port))) {
                channel.setOption(StandardSocketOptions.SO_LINGER, 0); // close sends a reset
            }
            assertEquals(List.of(65), activator.awaitChildExits(1, WAIT));
            assertTrue(activator.lines().stream().anyMatch(line -> line.startsWith("Error: ") && line.contains("reset")),
                    activator.stderr());
            assertFalse(activator.lines().stream().anyMatch(line -> line.contains("listening on")), activator.stderr());
        }
    }

    /** Sends {@code payload} while reading replies; a receiver that stops reading early ends the sending. */
    private static List<String> sendTolerant(UnixDomainSocketAddress address, byte[] payload) throws Exception {
        try (SocketChannel channel = Client.open(address)) {
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    channel.write(ByteBuffer.wrap(payload));
                    channel.shutdownOutput();
                } catch (IOException stoppedByTheReceiver) {
                    // the receiver answered and closed before taking it all
                }
            });
            List<String> replies = new ArrayList<>(Client.lines(channel));
            writer.join();
            return replies;
        }
    }
}
