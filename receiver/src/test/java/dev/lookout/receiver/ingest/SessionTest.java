package dev.lookout.receiver.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lookout.exit.Sysexit;
import dev.lookout.protocol.ErrorCode;
import dev.lookout.protocol.FrameHeader;
import dev.lookout.protocol.ImageCipher;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** One connection at a time over real loopback sockets: what is replied, stored, and the exit status. */
class SessionTest {
    private static final ImageCipher KEY = new ImageCipher(new byte[32]);
    private static final ImageCipher OTHER_KEY = new ImageCipher(filled(32, (byte) 7));
    private static byte[] jpeg;
    private static byte[] jpeg2;

    @TempDir
    Path root;

    @BeforeAll
    static void images() {
        jpeg = Jpegs.noise(640, 480, 1);
        jpeg2 = Jpegs.noise(640, 480, 2);
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
    void answersEveryImageOfABatchInOrder() throws Exception {
        try (InProcess receiver = InProcess.plain(root)) {
            InProcess.Result result = receiver.upload(Uploads.framed(null, "door", jpeg, jpeg2, jpeg, jpeg2));
            assertEquals(List.of("OK door/2026-05-04/10-20-30.456.jpg", "OK door/2026-05-04/10-20-31.456.jpg",
                    "OK door/2026-05-04/10-20-32.456.jpg", "OK door/2026-05-04/10-20-33.456.jpg"), result.replies());
            assertEquals(4, Trees.images(root).size());
            assertEquals(Path.of("2026-05-04/10-20-33.456.jpg"), Files.readSymbolicLink(root.resolve("door/latest.jpg")));
        }
    }

    @Test
    void decryptsWithTheRightKey() throws Exception {
        try (InProcess receiver = InProcess.keyed(root, KEY)) {
            InProcess.Result result = receiver.upload(Uploads.framed(KEY, "door", jpeg));
            assertEquals(List.of("OK door/2026-05-04/10-20-30.456.jpg"), result.replies());
            assertArrayEquals(jpeg, Files.readAllBytes(root.resolve("door/2026-05-04/10-20-30.456.jpg")));
        }
    }

    @Test
    void refusesTheWrongKey() throws Exception {
        assertRefused(InProcess.keyed(root, KEY), Uploads.framed(OTHER_KEY, "door", jpeg), "ERR auth ", Sysexit.NOPERM);
    }

    @Test
    void refusesUnencryptedFramesWhenAKeyIsSet() throws Exception {
        assertRefused(InProcess.keyed(root, KEY), Uploads.framed(null, "door", jpeg), "ERR auth ", Sysexit.NOPERM);
    }

    @Test
    void refusesEncryptedFramesWithoutAKey() throws Exception {
        assertRefused(InProcess.plain(root), Uploads.framed(KEY, "door", jpeg), "ERR auth ", Sysexit.NOPERM);
    }

    /** A changed byte anywhere: the header (authenticated data), the ciphertext, or the tag. */
    @ParameterizedTest
    @ValueSource(ints = {9, 30, 40, 70, 90, 5000, -1})
    void refusesTamperedBytes(int offset) throws Exception {
        byte[] upload = Uploads.framed(KEY, "door", jpeg);
        int at = offset < 0 ? upload.length - 1 : offset;
        upload[at] ^= 0x01;
        assertRefused(InProcess.keyed(root, KEY), upload, "ERR auth ", Sysexit.NOPERM);
    }

    /**
     * A bit flipped on the way in any field of an encrypted frame's header: the reply is a code the
     * agent retries (the header is not authenticated until the whole frame is read), never one that
     * sets the image aside; the unchanged frame is then stored.
     */
    @Test
    void aFlippedHeaderBitNeverSetsAGoodImageAside() throws Exception {
        byte[] upload = Uploads.framed(KEY, "door", jpeg);
        int headerBytes = ByteBuffer.wrap(upload).getShort(6);
        try (InProcess receiver = InProcess.keyed(root, KEY)) {
            for (int bit = 0; bit < headerBytes * 8; bit++) {
                byte[] flipped = upload.clone();
                flipped[bit / 8] ^= (byte) (1 << (bit % 8));
                List<String> replies = receiver.upload(flipped).replies();
                assertFalse(replies.isEmpty(), "bit " + bit);
                for (String reply : replies) { // a shorter length reads part of the image as the next header
                    ErrorCode code = ErrorCode.fromToken(reply.split(" ")[1]);
                    assertTrue(code != null && code.retryable(), "bit " + bit + ": " + replies);
                }
            }
            assertEquals(List.of(), Trees.files(root));
            assertEquals(List.of("OK door/2026-05-04/10-20-30.456.jpg"), receiver.upload(upload).replies());
        }
    }

    @Test
    void aCameraNameIsCheckedOnlyOnceTheHeaderIsAuthenticated() throws Exception {
        assertRefused(InProcess.keyed(root, KEY), Uploads.framed(KEY, ".hidden", jpeg), "ERR bad-camera ", Sysexit.DATA);
    }

    @Test
    void refusesAChangedImageByDigestWithoutAKey() throws Exception {
        byte[] upload = Uploads.framed(null, "door", jpeg);
        upload[upload.length - 100] ^= 0x01;
        assertRefused(InProcess.plain(root), upload, "ERR bad-image SHA-256", Sysexit.DATA);
    }

    @Test
    void aRetryOfTheSameImageIsIdempotent() throws Exception {
        try (InProcess receiver = InProcess.plain(root)) {
            byte[] upload = Uploads.frame(null, "door", Uploads.CAPTURE, Uploads.id(9), jpeg);
            assertEquals(List.of("OK door/2026-05-04/10-20-30.456.jpg"), receiver.upload(upload).replies());
            List<String> before = Trees.files(root);
            InProcess.Result again = receiver.upload(upload);
            assertEquals(List.of("OK door/2026-05-04/10-20-30.456.jpg"), again.replies());
            assertEquals(Sysexit.OK, again.status());
            assertEquals(before, Trees.files(root));
        }
    }

    @Test
    void aReplayedIdWithOtherContentIsRefused() throws Exception {
        try (InProcess receiver = InProcess.keyed(root, KEY)) {
            receiver.upload(Uploads.frame(KEY, "door", Uploads.CAPTURE, Uploads.id(9), jpeg));
            List<String> before = Trees.files(root);
            InProcess.Result replay = receiver.upload(Uploads.frame(KEY, "door", Uploads.CAPTURE, Uploads.id(9), jpeg2));
            assertStartsWith("ERR replay ", replay.replies());
            assertEquals(Sysexit.DATA, replay.status());
            assertEquals(before, Trees.files(root));
            assertArrayEquals(jpeg, Files.readAllBytes(root.resolve("door/2026-05-04/10-20-30.456.jpg")));
        }
    }

    @Test
    void theSameMillisecondTwiceGetsASuffix() throws Exception {
        try (InProcess receiver = InProcess.plain(root)) {
            receiver.upload(Uploads.frame(null, "door", Uploads.CAPTURE, Uploads.id(1), jpeg));
            InProcess.Result second = receiver.upload(Uploads.frame(null, "door", Uploads.CAPTURE, Uploads.id(2), jpeg2));
            assertEquals(List.of("OK door/2026-05-04/10-20-30.456-1.jpg"), second.replies());
            assertArrayEquals(jpeg, Files.readAllBytes(root.resolve("door/2026-05-04/10-20-30.456.jpg")));
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

    @Test
    void refusesRawUploadsWhenAKeyIsSet() throws Exception {
        assertRefused(InProcess.keyed(root, KEY), jpeg, "ERR raw-refused ", Sysexit.DATA);
    }

    @Test
    void anEmptyConnectionIsAnError() throws Exception {
        assertRefused(InProcess.plain(root), new byte[0], "ERR empty ", Sysexit.DATA);
    }

    @Test
    void garbageIsNotAFrame() throws Exception {
        assertRefused(InProcess.plain(root), "GET / HTTP/1.0\r\n\r\n".getBytes(), "ERR bad-frame ", Sysexit.DATA);
    }

    @Test
    void aTruncatedRawJpegIsRefused() throws Exception {
        assertRefused(InProcess.plain(root), Arrays.copyOf(jpeg, jpeg.length / 2), "ERR bad-image ", Sysexit.DATA);
    }

    @Test
    void aFrameCutShortIsTruncated() throws Exception {
        byte[] upload = Uploads.framed(null, "door", jpeg);
        assertRefused(InProcess.plain(root), Arrays.copyOf(upload, upload.length - 10), "ERR truncated ", Sysexit.DATA);
    }

    @Test
    void aHeaderCutShortIsTruncated() throws Exception {
        assertRefused(InProcess.plain(root), Arrays.copyOf(Uploads.framed(null, "door", jpeg), 30), "ERR truncated ",
                Sysexit.DATA);
    }

    @Test
    void anInvalidJpegInAFrameIsRefusedAndTheNextOneStored() throws Exception {
        try (InProcess receiver = InProcess.plain(root)) {
            byte[] bad = Arrays.copyOf(jpeg, jpeg.length - 2);
            InProcess.Result result = receiver.upload(Uploads.framed(null, "door", bad, jpeg2));
            assertEquals(2, result.replies().size());
            assertTrue(result.replies().get(0).startsWith("ERR bad-image "), result.replies().get(0));
            assertEquals("OK door/2026-05-04/10-20-31.456.jpg", result.replies().get(1));
            assertEquals(Sysexit.DATA, result.status());
        }
    }

    @Test
    void aHeaderAnnouncingTooLargeAnImageIsRefusedBeforeItsBody() throws Exception {
        byte[] upload = Uploads.framed(null, "door", jpeg);
        ByteBuffer.wrap(upload).putInt(32, (int) InProcess.MAX_BYTES + 1);
        assertRefused(InProcess.plain(root), upload, "ERR too-large ", Sysexit.DATA);
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
                List<String> replies = dev.lookout.receiver.support.Client.lines(channel);
                writer.join();
                return replies;
            });
            assertStartsWith("ERR too-large ", result.replies());
            assertEquals(Sysexit.DATA, result.status());
            assertEquals(List.of(), Trees.files(root));
        }
    }

    @Test
    void aHeaderLengthBeyondTheCapIsRefused() throws Exception {
        byte[] upload = Uploads.framed(null, "door", jpeg);
        ByteBuffer.wrap(upload).putShort(6, (short) 60000);
        assertRefused(InProcess.plain(root), upload, "ERR bad-frame header too long", Sysexit.DATA);
    }

    @ParameterizedTest
    @ValueSource(strings = {"version", "flags", "length", "cameraLength", "headerLength"})
    void refusesBadFieldValues(String field) throws Exception {
        byte[] upload = Uploads.framed(null, "door", jpeg);
        ByteBuffer b = ByteBuffer.wrap(upload);
        switch (field) {
            case "version" -> b.put(4, (byte) 2);
            case "flags" -> b.put(5, (byte) 0x80);
            case "length" -> b.putInt(32, 0);
            case "cameraLength" -> b.put(FrameHeader.FIXED_BYTES + 60, (byte) 0);
            default -> b.putShort(6, (short) (b.getShort(6) + 1));
        }
        assertRefused(InProcess.plain(root), upload, "ERR bad-frame ", Sysexit.DATA);
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", ".", "../etc", "a/b", "/abs", "nul\0x", "cämera", "sp ace", "tab\t", "back\\slash",
        ".stored", ".gallery", ".x", "index.html", "latest.jpg", "keep"})
    void refusesCameraNamesThatAreNotPlainFolderNames(String camera) throws Exception {
        try (InProcess receiver = InProcess.plain(root)) {
            InProcess.Result result = receiver.upload(Uploads.framed(null, camera, jpeg));
            assertStartsWith("ERR bad-camera ", result.replies());
            assertEquals(Sysexit.DATA, result.status());
            assertEquals(List.of(), Trees.files(root));
            try (var listing = Files.list(root)) {
                assertEquals(0, listing.count());
            }
        }
    }

    @Test
    void refusesACameraNameLongerThan64Bytes() throws Exception {
        assertRefused(InProcess.plain(root), Uploads.framed(null, "c".repeat(65), jpeg), "ERR bad-frame ", Sysexit.DATA);
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
                List<String> replies = dev.lookout.receiver.support.Client.lines(channel);
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
                return dev.lookout.receiver.support.Client.lines(channel);
            });
            assertStartsWith("ERR timeout client idle", result.replies());
            assertEquals(List.of(), Trees.files(root));
        }
    }

    @Test
    void belowTheFreeSpaceFloorImagesAreRefusedAsFull() throws Exception {
        InProcess full = new InProcess(root, null, true, InProcess.MAX_BYTES, Long.MAX_VALUE / 2, Duration.ofSeconds(5),
                Duration.ofSeconds(20));
        assertRefused(full, Uploads.framed(null, "door", jpeg), "ERR full storage full", Sysexit.IO);
    }

    @Test
    void aCaptureTimeFromABrokenClockIsReplacedByTheArrivalTime() throws Exception {
        try (InProcess receiver = InProcess.plain(root)) {
            InProcess.Result result = receiver.upload(Uploads.frame(null, "door", 0L, Uploads.id(1), jpeg));
            assertEquals(1, result.replies().size());
            assertTrue(result.replies().get(0).startsWith("OK door/20"), result.replies().toString());
            assertTrue(!result.replies().get(0).startsWith("OK door/1970"), result.replies().toString());
        }
    }

    @Test
    void aStillFromAnUnsynchronisedClockIsFiledByArrival() throws Exception {
        try (InProcess receiver = InProcess.plain(root)) {
            java.io.ByteArrayOutputStream upload = new java.io.ByteArrayOutputStream();
            new dev.lookout.protocol.FrameWriter(upload, null).write("door", Uploads.CAPTURE, Uploads.id(1), true, jpeg);
            InProcess.Result result = receiver.upload(upload.toByteArray());
            String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
            assertEquals(1, result.replies().size());
            assertTrue(result.replies().get(0).startsWith("OK door/" + today + "/"), result.replies() + " " + today);
        }
    }

    private void assertRefused(InProcess receiver, byte[] upload, String replyPrefix, Sysexit status) throws Exception {
        try (receiver) {
            InProcess.Result result = receiver.upload(upload);
            assertStartsWith(replyPrefix, result.replies());
            assertEquals(status, result.status());
            assertEquals(List.of(), Trees.files(root));
        }
    }

    private static void assertStartsWith(String prefix, List<String> replies) {
        assertEquals(1, replies.size(), replies.toString());
        assertTrue(replies.get(0).startsWith(prefix), "expected '" + prefix + "…', got " + replies);
    }

    private static byte[] filled(int n, byte value) {
        byte[] b = new byte[n];
        Arrays.fill(b, value);
        return b;
    }
}
