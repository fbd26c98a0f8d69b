package dev.lookout.receiver.ingest;

import static dev.lookout.receiver.support.ScriptedConnection.sending;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lookout.exit.Sysexit;
import dev.lookout.protocol.ErrorCode;
import dev.lookout.protocol.FrameHeader;
import dev.lookout.protocol.FrameWriter;
import dev.lookout.protocol.ImageCipher;
import dev.lookout.receiver.ExitStatus;
import dev.lookout.receiver.net.Peer;
import dev.lookout.receiver.store.ImageStore;
import dev.lookout.receiver.support.Jpegs;
import dev.lookout.receiver.support.ScriptedConnection;
import dev.lookout.receiver.support.Trees;
import dev.lookout.receiver.support.Uploads;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One connection at a time, byte by byte, over a {@link ScriptedConnection} into a real image store:
 * what is replied (the exact bytes), what is stored, and the exit status. What only a socket shows
 * (peer addresses, timeouts, resets) is in {@link SessionSocketTest}.
 */
class SessionTest {
    private static final long MAX_BYTES = 4L << 20;
    private static final ImageCipher KEY = new ImageCipher(new byte[32]);
    private static final ImageCipher OTHER_KEY = new ImageCipher(filled(32, (byte) 7));
    private static final IngestPolicy PLAIN = new IngestPolicy(null, true, MAX_BYTES, Duration.ofSeconds(5),
            Duration.ofSeconds(20));
    private static final IngestPolicy KEYED = new IngestPolicy(KEY, false, MAX_BYTES, Duration.ofSeconds(5),
            Duration.ofSeconds(20));
    private static final Duration LINGER = Duration.ofSeconds(1);
    private static final String FIRST = "OK door/2026-05-04/10-20-30.456.jpg\n";
    private static final String SECOND = "OK door/2026-05-04/10-20-31.456.jpg\n";
    private static final String THIRD = "OK door/2026-05-04/10-20-32.456.jpg\n";
    private static byte[] jpeg;
    private static byte[] jpeg2;

    @TempDir
    Path root;

    @BeforeAll
    static void images() {
        jpeg = Jpegs.noise(640, 480, 1);
        jpeg2 = Jpegs.noise(640, 480, 2);
    }

    /** What the client read, and the connection's worst error. */
    private record Served(String replies, ErrorCode worst) {
        Sysexit status() {
            return ExitStatus.of(worst);
        }

        List<String> lines() {
            return replies.isEmpty() ? List.of() : Arrays.asList(replies.split("\n"));
        }
    }

    /** Serves one connection as a freshly started receiver does: a new store over the same tree. */
    private Served serve(IngestPolicy policy, long minFree, ScriptedConnection connection) {
        ConnectionReport report = new Session(policy, new ImageStore(root, ZoneOffset.UTC, minFree))
                .serve(connection, new Peer("test", "test"));
        assertTrue(connection.finished(), "half-closed");
        return new Served(connection.replies(), report.worst());
    }

    private Served serve(IngestPolicy policy, ScriptedConnection connection) {
        return serve(policy, 0, connection);
    }

    private Served upload(IngestPolicy policy, byte[] bytes) {
        return serve(policy, sending(bytes));
    }

    // ---- faults a socket does not produce on demand

    @Test
    void readsOfOneByteAtATimeMakeNoDifference() throws Exception {
        ScriptedConnection connection = sending(Uploads.framed(null, "door", jpeg, jpeg2)).inReadsOf(1);
        Served served = serve(PLAIN, connection);
        assertEquals(FIRST + SECOND, served.replies());
        assertEquals(Sysexit.OK, served.status());
        assertArrayEquals(jpeg, Files.readAllBytes(root.resolve("door/2026-05-04/10-20-30.456.jpg")));
        assertArrayEquals(jpeg2, Files.readAllBytes(root.resolve("door/2026-05-04/10-20-31.456.jpg")));
        assertEquals(List.of(), connection.extensions());
    }

    @Test
    void anEncryptedFrameReadOneByteAtATimeIsStored() throws Exception {
        Served served = serve(KEYED, sending(Uploads.framed(KEY, "door", jpeg)).inReadsOf(1));
        assertEquals(FIRST, served.replies());
        assertArrayEquals(jpeg, Files.readAllBytes(root.resolve("door/2026-05-04/10-20-30.456.jpg")));
    }

    /** A half-close at a frame's boundary is the normal end, after any number of frames. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void endOfStreamBetweenFramesEndsTheConnectionNormally(int frames) {
        byte[][] images = Arrays.copyOf(new byte[][] {jpeg, jpeg2, jpeg}, frames);
        ScriptedConnection connection = sending(Uploads.framed(null, "door", images));
        Served served = serve(PLAIN, connection);
        assertEquals((FIRST + SECOND + THIRD).substring(0, FIRST.length() * frames), served.replies());
        assertEquals(Sysexit.OK, served.status());
        assertEquals(frames, Trees.images(root).size());
        assertEquals(List.of(), connection.extensions(), "a complete connection is not drained");
    }

    /**
     * The client half-closes inside the second frame: the first stays stored and answered, the
     * second is answered truncated, and nothing of it is stored.
     */
    @ParameterizedTest
    @ValueSource(strings = {"magic", "fixedPart", "fields", "cameraName", "imageStart", "image", "imageEnd"})
    void aHalfCloseInsideTheSecondFrameKeepsTheFirst(String where) {
        byte[] first = Uploads.frame(null, "door", Uploads.CAPTURE, Uploads.id(1), jpeg);
        byte[] second = Uploads.frame(null, "door", Uploads.CAPTURE + 1000, Uploads.id(2), jpeg2);
        int header = ByteBuffer.wrap(second).getShort(6);
        int cut = switch (where) {
            case "magic" -> 2;
            case "fixedPart" -> FrameHeader.FIXED_BYTES;
            case "fields" -> 40;
            case "cameraName" -> header - 1;
            case "imageStart" -> header;
            case "image" -> header + 1000;
            default -> second.length - 1;
        };
        Served served = upload(PLAIN, concat(first, Arrays.copyOf(second, cut)));
        assertEquals(FIRST + "ERR truncated connection ended inside the " + (cut < header ? "header" : "image") + "\n",
                served.replies());
        assertEquals(Sysexit.DATA, served.status());
        assertEquals(List.of("door/2026-05-04/10-20-30.456.jpg", "door/latest.jpg"), visible(Trees.files(root)));
    }

    @Test
    void aClientResetInsideTheSecondFrameKeepsTheFirst() {
        Served served = serve(PLAIN, failingInsideTheSecondFrame(new IOException("Connection reset")));
        assertEquals(FIRST, served.replies());
        assertEquals(ErrorCode.TRUNCATED, served.worst());
        assertEquals(Sysexit.DATA, served.status());
        assertEquals(List.of("door/2026-05-04/10-20-30.456.jpg"), Trees.images(root));
    }

    @Test
    void aClientIdleInsideTheSecondFrameIsToldSoWithinTheGrace() {
        ScriptedConnection connection = failingInsideTheSecondFrame(new SocketTimeoutException("client idle for 5000 ms"));
        Served served = serve(PLAIN, connection);
        assertEquals(FIRST + "ERR timeout client idle for 5000 ms\n", served.replies());
        assertEquals(Sysexit.DATA, served.status());
        assertEquals(List.of(LINGER, LINGER), connection.extensions(), "the last word, then the drain");
        assertEquals(List.of("door/2026-05-04/10-20-30.456.jpg"), Trees.images(root));
    }

    /**
     * A client that stops reading replies: the write waits until the deadline passes. The image
     * read before stays stored, nothing more is read as an image, the last word is tried within a
     * short grace, and what the client still sends is drained within another.
     */
    @Test
    void aClientThatStopsReadingRepliesIsBoundedByTheDeadline() {
        ScriptedConnection connection = sending(Uploads.framed(null, "door", jpeg, jpeg2))
                .failingWritesAfter(0, new SocketTimeoutException("connection deadline of 20 s passed"));
        Served served = serve(PLAIN, connection);
        assertEquals("", served.replies());
        assertEquals(ErrorCode.TIMEOUT, served.worst());
        assertEquals(Sysexit.DATA, served.status());
        assertEquals(List.of(LINGER, LINGER), connection.extensions());
        assertEquals(0, connection.unread());
        assertEquals(List.of("door/2026-05-04/10-20-30.456.jpg"), Trees.images(root));
    }

    /** The reply to a stored image is lost: the retry of the same frame is answered with the same path, and stores nothing twice. */
    @Test
    void aReplyLostAfterTheImageWasStoredIsAnsweredAgainOnRetry() throws Exception {
        byte[] upload = Uploads.frame(null, "door", Uploads.CAPTURE, Uploads.id(9), jpeg);
        Served lost = serve(PLAIN, sending(upload).failingWritesAfter(0, new IOException("Broken pipe")));
        assertEquals("", lost.replies());
        assertEquals(ErrorCode.TRUNCATED, lost.worst());
        assertEquals(Sysexit.DATA, lost.status());
        List<String> stored = Trees.files(root);
        assertEquals(List.of("door/2026-05-04/10-20-30.456.jpg"), Trees.images(root));

        Served retry = upload(PLAIN, upload);
        assertEquals(FIRST, retry.replies());
        assertEquals(Sysexit.OK, retry.status());
        assertEquals(stored, Trees.files(root));
        assertArrayEquals(jpeg, Files.readAllBytes(root.resolve("door/2026-05-04/10-20-30.456.jpg")));
    }

    /** A reply lost in the middle of a batch: the images before it are stored and answered, none after it is read. */
    @Test
    void aReplyLostInTheMiddleOfABatchEndsIt() {
        ScriptedConnection connection = sending(Uploads.framed(null, "door", jpeg, jpeg2, jpeg))
                .failingWritesAfter(1, new IOException("Broken pipe"));
        Served served = serve(PLAIN, connection);
        assertEquals(FIRST, served.replies());
        assertEquals(Sysexit.DATA, served.status());
        assertEquals(List.of("door/2026-05-04/10-20-30.456.jpg", "door/2026-05-04/10-20-31.456.jpg"),
                Trees.images(root));
    }

    @Test
    void aBadImageInTheMiddleOfABatchIsRefusedAndTheRestStored() {
        byte[] upload = Uploads.framed(null, "door", jpeg, jpeg2, jpeg);
        int secondAt = Uploads.frame(null, "door", Uploads.CAPTURE, Uploads.id(1), jpeg).length;
        upload[secondAt + 200] ^= 0x01; // inside the second frame's image
        Served served = upload(PLAIN, upload);
        assertEquals(FIRST + "ERR bad-image SHA-256 does not match the header\n" + THIRD, served.replies());
        assertEquals(Sysexit.DATA, served.status());
        assertEquals(List.of("door/2026-05-04/10-20-30.456.jpg", "door/2026-05-04/10-20-32.456.jpg"),
                Trees.images(root));
    }

    @Test
    void anInvalidJpegInTheMiddleOfABatchIsRefusedAndTheRestStored() {
        Served served = upload(PLAIN, Uploads.framed(null, "door", jpeg, Arrays.copyOf(jpeg2, jpeg2.length - 2), jpeg));
        assertEquals(3, served.lines().size(), served.replies());
        assertEquals(FIRST, served.lines().get(0) + "\n");
        assertTrue(served.lines().get(1).startsWith("ERR bad-image "), served.replies());
        assertEquals(THIRD, served.lines().get(2) + "\n");
        assertEquals(Sysexit.DATA, served.status());
        assertEquals(2, Trees.images(root).size());
    }

    /** A header that cannot be read puts the stream out of step: the batch ends there, and the rest is drained unread. */
    @Test
    void aBadHeaderInTheMiddleOfABatchEndsIt() {
        byte[] upload = Uploads.framed(null, "door", jpeg, jpeg2, jpeg);
        int secondAt = Uploads.frame(null, "door", Uploads.CAPTURE, Uploads.id(1), jpeg).length;
        upload[secondAt + 4] = 2; // the version
        ScriptedConnection connection = sending(upload);
        Served served = serve(PLAIN, connection);
        assertEquals(FIRST + "ERR bad-frame unsupported frame version 2\n", served.replies());
        assertEquals(Sysexit.DATA, served.status());
        assertEquals(List.of("door/2026-05-04/10-20-30.456.jpg"), Trees.images(root));
        assertEquals(0, connection.unread());
        assertEquals(List.of(LINGER), connection.extensions());
    }

    // ---- what is stored and answered

    @Test
    void answersEveryImageOfABatchInOrder() throws Exception {
        Served served = upload(PLAIN, Uploads.framed(null, "door", jpeg, jpeg2, jpeg, jpeg2));
        assertEquals(FIRST + SECOND + THIRD + "OK door/2026-05-04/10-20-33.456.jpg\n", served.replies());
        assertEquals(4, Trees.images(root).size());
        assertEquals(Path.of("2026-05-04/10-20-33.456.jpg"), Files.readSymbolicLink(root.resolve("door/latest.jpg")));
    }

    @Test
    void decryptsWithTheRightKey() throws Exception {
        Served served = upload(KEYED, Uploads.framed(KEY, "door", jpeg));
        assertEquals(FIRST, served.replies());
        assertArrayEquals(jpeg, Files.readAllBytes(root.resolve("door/2026-05-04/10-20-30.456.jpg")));
    }

    @Test
    void refusesTheWrongKey() {
        assertRefused(KEYED, Uploads.framed(OTHER_KEY, "door", jpeg), "ERR auth ", Sysexit.NOPERM);
    }

    @Test
    void refusesUnencryptedFramesWhenAKeyIsSet() {
        assertRefused(KEYED, Uploads.framed(null, "door", jpeg), "ERR auth ", Sysexit.NOPERM);
    }

    @Test
    void refusesEncryptedFramesWithoutAKey() {
        assertRefused(PLAIN, Uploads.framed(KEY, "door", jpeg), "ERR auth ", Sysexit.NOPERM);
    }

    /** A changed byte anywhere: the header (authenticated data), the ciphertext, or the tag. */
    @ParameterizedTest
    @ValueSource(ints = {9, 30, 40, 70, 90, 5000, -1})
    void refusesTamperedBytes(int offset) {
        byte[] upload = Uploads.framed(KEY, "door", jpeg);
        int at = offset < 0 ? upload.length - 1 : offset;
        upload[at] ^= 0x01;
        assertRefused(KEYED, upload, "ERR auth ", Sysexit.NOPERM);
    }

    /**
     * A bit flipped on the way in any field of an encrypted frame's header: the reply is a code the
     * agent retries (the header is not authenticated until the whole frame is read), never one that
     * sets the image aside; the unchanged frame is then stored.
     */
    @Test
    void aFlippedHeaderBitNeverSetsAGoodImageAside() {
        byte[] upload = Uploads.framed(KEY, "door", jpeg);
        int headerBytes = ByteBuffer.wrap(upload).getShort(6);
        for (int bit = 0; bit < headerBytes * 8; bit++) {
            byte[] flipped = upload.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            List<String> replies = upload(KEYED, flipped).lines();
            assertFalse(replies.isEmpty(), "bit " + bit);
            for (String reply : replies) { // a shorter length reads part of the image as the next header
                ErrorCode code = ErrorCode.fromToken(reply.split(" ")[1]);
                assertTrue(code != null && code.retryable(), "bit " + bit + ": " + replies);
            }
        }
        assertEquals(List.of(), Trees.files(root));
        assertEquals(FIRST, upload(KEYED, upload).replies());
    }

    @Test
    void aCameraNameIsCheckedOnlyOnceTheHeaderIsAuthenticated() {
        assertRefused(KEYED, Uploads.framed(KEY, ".hidden", jpeg), "ERR bad-camera ", Sysexit.DATA);
    }

    @Test
    void refusesAChangedImageByDigestWithoutAKey() {
        byte[] upload = Uploads.framed(null, "door", jpeg);
        upload[upload.length - 100] ^= 0x01;
        assertRefused(PLAIN, upload, "ERR bad-image SHA-256", Sysexit.DATA);
    }

    @Test
    void aRetryOfTheSameImageIsIdempotent() {
        byte[] upload = Uploads.frame(null, "door", Uploads.CAPTURE, Uploads.id(9), jpeg);
        assertEquals(FIRST, upload(PLAIN, upload).replies());
        List<String> before = Trees.files(root);
        Served again = upload(PLAIN, upload);
        assertEquals(FIRST, again.replies());
        assertEquals(Sysexit.OK, again.status());
        assertEquals(before, Trees.files(root));
    }

    @Test
    void aReplayedIdWithOtherContentIsRefused() throws Exception {
        upload(KEYED, Uploads.frame(KEY, "door", Uploads.CAPTURE, Uploads.id(9), jpeg));
        List<String> before = Trees.files(root);
        Served replay = upload(KEYED, Uploads.frame(KEY, "door", Uploads.CAPTURE, Uploads.id(9), jpeg2));
        assertStartsWith("ERR replay ", replay.lines());
        assertEquals(Sysexit.DATA, replay.status());
        assertEquals(before, Trees.files(root));
        assertArrayEquals(jpeg, Files.readAllBytes(root.resolve("door/2026-05-04/10-20-30.456.jpg")));
    }

    @Test
    void theSameMillisecondTwiceGetsASuffix() throws Exception {
        upload(PLAIN, Uploads.frame(null, "door", Uploads.CAPTURE, Uploads.id(1), jpeg));
        Served second = upload(PLAIN, Uploads.frame(null, "door", Uploads.CAPTURE, Uploads.id(2), jpeg2));
        assertEquals("OK door/2026-05-04/10-20-30.456-1.jpg\n", second.replies());
        assertArrayEquals(jpeg, Files.readAllBytes(root.resolve("door/2026-05-04/10-20-30.456.jpg")));
    }

    @Test
    void anEmptyConnectionIsAnError() {
        Served served = upload(PLAIN, new byte[0]);
        assertEquals("ERR empty no data received\n", served.replies());
        assertEquals(Sysexit.DATA, served.status());
        assertEquals(List.of(), Trees.files(root));
    }

    @Test
    void garbageIsNotAFrame() {
        assertRefused(PLAIN, "GET / HTTP/1.0\r\n\r\n".getBytes(), "ERR bad-frame ", Sysexit.DATA);
    }

    @Test
    void aTruncatedRawJpegIsRefused() {
        assertRefused(PLAIN, Arrays.copyOf(jpeg, jpeg.length / 2), "ERR bad-image ", Sysexit.DATA);
    }

    /** Refused before its body is read; the body is then drained, so that the reply is not lost to a reset. */
    @Test
    void aHeaderAnnouncingTooLargeAnImageIsRefusedBeforeItsBody() {
        byte[] upload = Uploads.framed(null, "door", jpeg);
        ByteBuffer.wrap(upload).putInt(32, (int) MAX_BYTES + 1);
        ScriptedConnection connection = sending(upload);
        Served served = serve(PLAIN, connection);
        assertEquals("ERR too-large image of " + (MAX_BYTES + 1) + " bytes exceeds the limit of " + MAX_BYTES + "\n",
                served.replies());
        assertEquals(Sysexit.DATA, served.status());
        assertEquals(0, connection.unread());
        assertEquals(List.of(), Trees.files(root));
    }

    @Test
    void aHeaderLengthBeyondTheCapIsRefused() {
        byte[] upload = Uploads.framed(null, "door", jpeg);
        ByteBuffer.wrap(upload).putShort(6, (short) 60000);
        assertRefused(PLAIN, upload, "ERR bad-frame header too long", Sysexit.DATA);
    }

    @ParameterizedTest
    @ValueSource(strings = {"version", "flags", "length", "cameraLength", "headerLength"})
    void refusesBadFieldValues(String field) {
        byte[] upload = Uploads.framed(null, "door", jpeg);
        ByteBuffer b = ByteBuffer.wrap(upload);
        switch (field) {
            case "version" -> b.put(4, (byte) 2);
            case "flags" -> b.put(5, (byte) 0x80);
            case "length" -> b.putInt(32, 0);
            case "cameraLength" -> b.put(FrameHeader.FIXED_BYTES + 60, (byte) 0);
            default -> b.putShort(6, (short) (b.getShort(6) + 1));
        }
        assertRefused(PLAIN, upload, "ERR bad-frame ", Sysexit.DATA);
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", ".", "../etc", "a/b", "/abs", "nul\0x", "cämera", "sp ace", "tab\t", "back\\slash",
        ".stored", ".gallery", ".x", "index.html", "latest.jpg", "keep"})
    void refusesCameraNamesThatAreNotPlainFolderNames(String camera) throws Exception {
        assertRefused(PLAIN, Uploads.framed(null, camera, jpeg), "ERR bad-camera ", Sysexit.DATA);
        try (var listing = Files.list(root)) {
            assertEquals(0, listing.count());
        }
    }

    @Test
    void refusesACameraNameLongerThan64Bytes() {
        assertRefused(PLAIN, Uploads.framed(null, "c".repeat(65), jpeg), "ERR bad-frame ", Sysexit.DATA);
    }

    @Test
    void belowTheFreeSpaceFloorImagesAreRefusedAsFull() {
        Served served = serve(PLAIN, Long.MAX_VALUE / 2, sending(Uploads.framed(null, "door", jpeg)));
        assertStartsWith("ERR full storage full", served.lines());
        assertEquals(Sysexit.IO, served.status());
        assertEquals(List.of(), Trees.files(root));
    }

    @Test
    void aCaptureTimeFromABrokenClockIsReplacedByTheArrivalTime() {
        Served served = upload(PLAIN, Uploads.frame(null, "door", 0L, Uploads.id(1), jpeg));
        assertEquals(1, served.lines().size());
        assertTrue(served.replies().startsWith("OK door/20"), served.replies());
        assertFalse(served.replies().startsWith("OK door/1970"), served.replies());
    }

    @Test
    void aStillFromAnUnsynchronisedClockIsFiledByArrival() throws Exception {
        ByteArrayOutputStream upload = new ByteArrayOutputStream();
        new FrameWriter(upload, null).write("door", Uploads.CAPTURE, Uploads.id(1), true, jpeg);
        Served served = upload(PLAIN, upload.toByteArray());
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        assertEquals(1, served.lines().size());
        assertTrue(served.replies().startsWith("OK door/" + today + "/"), served.replies() + " " + today);
    }

    private void assertRefused(IngestPolicy policy, byte[] upload, String replyPrefix, Sysexit status) {
        Served served = upload(policy, upload);
        assertStartsWith(replyPrefix, served.lines());
        assertEquals(status, served.status());
        assertEquals(List.of(), Trees.files(root));
    }

    private static void assertStartsWith(String prefix, List<String> replies) {
        assertEquals(1, replies.size(), replies.toString());
        assertTrue(replies.get(0).startsWith(prefix), "expected '" + prefix + "…', got " + replies);
    }

    /** The files a client's listing shows: no hidden ones (the store's own records). */
    private static List<String> visible(List<String> files) {
        return files.stream().filter(f -> !f.startsWith(".") && !f.contains("/.")).toList();
    }

    /** A client that sends one frame and most of a second, then fails. */
    private static ScriptedConnection failingInsideTheSecondFrame(IOException failure) {
        byte[] upload = Uploads.framed(null, "door", jpeg, jpeg2);
        return sending(Arrays.copyOf(upload, upload.length - 5000)).thenFailing(failure);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    private static byte[] filled(int n, byte value) {
        byte[] b = new byte[n];
        Arrays.fill(b, value);
        return b;
    }
}
