package dev.lookout.receiver.ingest;

import dev.lookout.protocol.CameraName;
import dev.lookout.protocol.ErrorCode;
import dev.lookout.protocol.FrameHeader;
import dev.lookout.protocol.FrameReader;
import dev.lookout.protocol.FrameWriter;
import dev.lookout.protocol.ProtocolException;
import dev.lookout.protocol.Reply;
import dev.lookout.receiver.net.Connection;
import dev.lookout.receiver.net.Peer;
import dev.lookout.receiver.store.ImageStore;
import dev.lookout.receiver.validate.JpegCheck;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

/**
 * Serves one connection: reads a raw JPEG or a sequence of framed images until the client
 * half-closes, answers each image with one reply line, then half-closes its side.
 */
public final class Session {
    private static final int JPEG_FIRST_BYTE = 0xFF;
    private static final Duration LINGER = Duration.ofSeconds(1);
    /** Capture times outside [2000, now + 1 day] come from a clock gone wrong: the image is stored by arrival. */
    private static final Instant EARLIEST = Instant.ofEpochSecond(946_684_800L);
    private static final Duration LATEST_AHEAD = Duration.ofDays(1);

    private final IngestPolicy policy;
    private final ImageStore store;

    public Session(IngestPolicy policy, ImageStore store) {
        this.policy = policy;
        this.store = store;
    }

    /** Serves the connection to its end; logging is left to the caller, after the client has its answer. */
    public ConnectionReport serve(Connection connection, Peer peer) {
        ConnectionReport report = new ConnectionReport(peer);
        InputStream in = new BufferedInputStream(connection.input(), 64 * 1024);
        boolean complete = false;
        try {
            in.mark(1);
            int first = in.read();
            in.reset();
            if (first < 0) {
                reply(connection, report, null, Reply.error(ErrorCode.EMPTY, "no data received"), 0, System.nanoTime());
                complete = true;
            } else if (first == JPEG_FIRST_BYTE) {
                complete = serveRaw(in, connection, report);
            } else {
                complete = serveFramed(in, connection, report);
            }
        } catch (SocketTimeoutException e) {
            connection.extendDeadline(LINGER);
            quietReply(connection, report, Reply.error(ErrorCode.TIMEOUT, e.getMessage()));
        } catch (IOException e) {
            report.failed(ErrorCode.TRUNCATED, "connection failed: " + e.getMessage());
        } catch (OutOfMemoryError e) { // what was read is garbage now: the receiver goes on
            quietReply(connection, report, Reply.error(ErrorCode.IO, "out of memory while receiving (is max-bytes too large"
                    + " for the receiver's heap?)"));
        }
        try {
            connection.finish();
            if (!complete) {
                discardInput(connection);
            }
        } catch (IOException e) {
            report.failed(ErrorCode.TRUNCATED, "connection failed: " + e.getMessage());
        }
        return report.finish();
    }

    /**
     * Reads and drops what the client still sends, for at most {@link #LINGER} and the image limit,
     * so that an early reply is not lost to a reset when the connection closes with unread data.
     */
    private void discardInput(Connection connection) {
        connection.extendDeadline(LINGER);
        byte[] sink = new byte[8192];
        long total = 0;
        try {
            int n;
            while (total < policy.maxBytes() && (n = connection.read(sink, 0, sink.length)) >= 0) {
                total += n;
            }
        } catch (IOException e) {
            // the client is gone or still sending: either way nothing more to do
        }
    }

    private boolean serveRaw(InputStream in, Connection connection, ConnectionReport report) throws IOException {
        long start = System.nanoTime();
        if (!policy.allowRaw()) {
            reply(connection, report, null, Reply.error(ErrorCode.RAW_REFUSED,
                    "unframed uploads are not accepted here; send with the Lookout agent"), 0, start);
            return false;
        }
        byte[] jpeg = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, policy.maxBytes() + 1));
        String camera = report.peerFolder();
        if (jpeg.length > policy.maxBytes()) {
            reply(connection, report, camera, Reply.error(ErrorCode.TOO_LARGE,
                    "image exceeds the limit of " + policy.maxBytes() + " bytes"), jpeg.length, start);
            return false;
        }
        reply(connection, report, camera, store(camera, Instant.now(), null, jpeg), jpeg.length, start);
        return true;
    }

    private boolean serveFramed(InputStream in, Connection connection, ConnectionReport report) throws IOException {
        FrameReader reader = new FrameReader(in, policy.maxBytes());
        while (true) {
            long start = System.nanoTime();
            FrameReader.Frame frame;
            try {
                frame = reader.next();
            } catch (ProtocolException e) {
                reply(connection, report, null, unauthenticated(e), 0, start);
                return false;
            }
            if (frame == null) {
                return true;
            }
            FrameHeader header = frame.header();
            Reply answer;
            try {
                answer = ingest(frame);
            } catch (ProtocolException e) {
                answer = Reply.error(e.code(), e.getMessage());
            }
            reply(connection, report, header.camera(), answer, header.length(), start);
        }
    }

    /**
     * A refusal of a header field read before the header could be authenticated: with a key, a
     * field out of range may be a bit flipped on the way, so the agent is told to retry, not to set
     * the image aside.
     */
    private Reply unauthenticated(ProtocolException e) {
        boolean unverifiable = e.code() == ErrorCode.BAD_FRAME || e.code() == ErrorCode.TOO_LARGE;
        if (policy.cipher() != null && unverifiable) {
            return Reply.error(ErrorCode.UNVERIFIED, e.getMessage() + " (" + e.code().token() + " in a header not yet authenticated)");
        }
        return Reply.error(e.code(), e.getMessage());
    }

    /** Authenticates (with a key) or checks the digest (without), and only then looks at the header's camera. */
    private Reply ingest(FrameReader.Frame frame) throws ProtocolException {
        FrameHeader header = frame.header();
        byte[] jpeg = frame.body();
        if (policy.cipher() != null) {
            if (!header.encrypted()) {
                throw new ProtocolException(ErrorCode.AUTH, "this receiver accepts encrypted images only");
            }
            jpeg = policy.cipher().open(header.nonce(), frame.rawHeader(), jpeg);
        } else if (header.encrypted()) {
            throw new ProtocolException(ErrorCode.AUTH, "image is encrypted but this receiver has no key");
        } else if (!Arrays.equals(FrameWriter.sha256(jpeg), header.sha256())) {
            // Without a key the digest is the only integrity check; with one, the AEAD tag already covers every byte.
            throw new ProtocolException(ErrorCode.BAD_IMAGE, "SHA-256 does not match the header");
        }
        String camera = CameraName.check(header.camera());
        Instant capture = Instant.ofEpochMilli(header.captureMillis());
        Instant now = Instant.now();
        if (header.clockUnsynced() || capture.isBefore(EARLIEST) || capture.isAfter(now.plus(LATEST_AHEAD))) {
            capture = now;
        }
        return store(camera, capture, header.imageIdHex(), jpeg);
    }

    private Reply store(String camera, Instant capture, String imageId, byte[] jpeg) {
        try {
            JpegCheck.check(jpeg);
            return Reply.ok(store.put(camera, capture, imageId, jpeg));
        } catch (ProtocolException e) {
            return Reply.error(e.code(), e.getMessage());
        } catch (IOException e) {
            return Reply.error(ErrorCode.IO, "could not store the image: " + e.getMessage());
        }
    }

    private static void reply(Connection connection, ConnectionReport report, String camera, Reply reply, long bytes,
                              long startNanos) throws IOException {
        connection.write(reply.encode());
        report.image(camera, bytes, reply, (System.nanoTime() - startNanos) / 1_000_000);
    }

    private static void quietReply(Connection connection, ConnectionReport report, Reply reply) {
        try {
            reply(connection, report, null, reply, 0, System.nanoTime());
        } catch (IOException e) {
            report.failed(reply.code(), reply.text());
        }
    }
}
