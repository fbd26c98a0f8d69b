package dev.lookout.receiver.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lookout.exit.Sysexit;
import dev.lookout.protocol.ImageCipher;
import dev.lookout.receiver.support.Client;
import dev.lookout.receiver.support.InProcess;
import dev.lookout.receiver.support.Jpegs;
import dev.lookout.receiver.support.Trees;
import dev.lookout.receiver.support.Uploads;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One connection at a time over real loopback sockets, for what only a socket shows: the peer's
 * address, the idle timeout and deadline as time passes, and replies that survive unread input.
 */
class SessionSocketTest {
    private static byte[] jpeg;

    @TempDir
    Path root;

    @BeforeAll
    static void images() {
        jpeg = Jpegs.noise(640, 480, 1);
    }

    @Test
    void storesAFramedImageByteForByteUnderItsCaptureTime() throws Exception {
        try (InProcess receiver = InProcess.plain(root)) {
            InProcess.Result result = receiver.upload(Uploads.framed(null, "door", jpeg));
            assertEquals(List.of("OK door/2026-05-04/10-20-30.456.jpg"), result.replies());
            assertEquals(Sysexit.OK, result.status());
            Path stored = root.resolve("door/2026-05-04/10-20-30.456.jpg");
            assertArrayEquals(jpeg, Files.readAllBytes(stored));
            assertEquals(Uploads.CAPTURE, Files.getLastModifiedTime(stored).toMillis());
            assertEquals(Path.of("2026-05-04/10-20-30.456.jpg"), Files.readSymbolicLink(root.resolve("door/latest.jpg")));
        }
    }

    @Test
    void storesRawUploadsUnderThePeerAddressWhenAllowed() throws Exception {
        try (InProcess receiver = InProcess.plain(root)) {
            InProcess.Result result = receiver.upload(jpeg);
            assertEquals(1, result.replies().size());
            assertTrue(result.replies().get(0).matches("OK 127\\.0\\.0\\.1/\\d{4}-\\d\\d-\\d\\d/\\d\\d-\\d\\d-\\d\\d\\.\\d{3}\\.jpg"),
                    result.replies().toString());
            assertArrayEquals(jpeg, Files.readAllBytes(root.resolve(result.replies().get(0).substring(3))));
        }
    }

    /** The refusal is sent before the image is read: the client still reads it, not a reset. */
    @Test
    void refusesRawUploadsWhenAKeyIsSet() throws Exception {
        try (InProcess receiver = InProcess.keyed(root, new ImageCipher(new byte[32]))) {
            InProcess.Result result = receiver.upload(jpeg);
            assertStartsWith("ERR raw-refused ", result.replies());
            assertEquals(Sysexit.DATA, result.status());
            assertEquals(List.of(), Trees.files(root));
        }
    }

    @Test
    void anOversizeRawStreamIsCutAtTheLimit() throws Exception {
        try (InProcess receiver = InProcess.plain(root)) {
            byte[] chunk = Arrays.copyOf(jpeg, 64 * 1024);
            InProcess.Result result = receiver.connect(channel -> {
                CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                    try {
                        for (long sent = 0; sent < 64L * InProcess.MAX_BYTES; sent += chunk.length) {
                            channel.write(ByteBuffer.wrap(chunk));
                        }
                    } catch (IOException stoppedByTheReceiver) {
                        // expected: the receiver stops reading at its limit and closes
                    }
                });
                List<String> replies = Client.lines(channel);
                writer.join();
                return replies;
            });
            assertStartsWith("ERR too-large ", result.replies());
            assertEquals(Sysexit.DATA, result.status());
            assertEquals(List.of(), Trees.files(root));
        }
    }

    @Test
    void aClientSendingOneBytePerSecondIsCutOffByTheDeadline() throws Exception {
        try (InProcess receiver = new InProcess(root, null, true, InProcess.MAX_BYTES, 0, Duration.ofSeconds(5),
                Duration.ofSeconds(2))) {
            byte[] upload = Uploads.framed(null, "door", jpeg);
            long start = System.nanoTime();
            InProcess.Result result = receiver.connect(channel -> {
                CompletableFuture<Void> trickle = CompletableFuture.runAsync(() -> {
                    try {
                        for (int i = 0; i < upload.length; i++) {
                            channel.write(ByteBuffer.wrap(upload, i, 1));
                            Thread.sleep(1000);
                        }
                    } catch (IOException | InterruptedException cutOff) {
                        // expected
                    }
                });
                List<String> replies = Client.lines(channel);
                trickle.cancel(true);
                return replies;
            });
            assertStartsWith("ERR timeout connection deadline", result.replies());
            assertEquals(Sysexit.DATA, result.status());
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos());
            assertEquals(List.of(), Trees.files(root));
        }
    }

    @Test
    void aSilentClientIsCutOffByTheIdleTimeout() throws Exception {
        try (InProcess receiver = new InProcess(root, null, true, InProcess.MAX_BYTES, 0, Duration.ofMillis(500),
                Duration.ofSeconds(20))) {
            InProcess.Result result = receiver.connect(channel -> {
                channel.write(ByteBuffer.wrap(Arrays.copyOf(jpeg, 100)));
                return Client.lines(channel);
            });
            assertStartsWith("ERR timeout client idle", result.replies());
            assertEquals(List.of(), Trees.files(root));
        }
    }

    private static void assertStartsWith(String prefix, List<String> replies) {
        assertEquals(1, replies.size(), replies.toString());
        assertTrue(replies.get(0).startsWith(prefix), "expected '" + prefix + "…', got " + replies);
    }
}
