package dev.lookout.agent.send;

import dev.lookout.agent.spool.Upload;
import dev.lookout.protocol.Address;
import dev.lookout.protocol.ErrorCode;
import dev.lookout.protocol.FrameWriter;
import dev.lookout.protocol.ImageCipher;
import dev.lookout.protocol.ProtocolException;
import dev.lookout.protocol.Reply;
import java.io.BufferedOutputStream;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One upload: connect, write one or more frames (encrypted with the key when there is one),
 * half-close, read every reply line to the receiver's end of stream, close. The timeout bounds the
 * connect, each write (a receiver that stops reading) and each wait for a reply.
 */
public final class Sender implements Link {
    private final Address target;
    private final ImageCipher cipher;
    private final Duration timeout;

    /** @param cipher the pre-shared key's cipher, or {@code null} to send in the clear */
    public Sender(Address target, ImageCipher cipher, Duration timeout) {
        this.target = target;
        this.cipher = cipher;
        this.timeout = timeout;
    }

    @Override
    public List<Reply> send(List<Upload> uploads) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(target.socketAddress(), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            try {
                OutputStream out = new BufferedOutputStream(new StalledWriteGuard(socket, timeout), 64 * 1024);
                FrameWriter writer = new FrameWriter(out, cipher);
                for (Upload u : uploads) {
                    writer.write(u.header(), u.frame());
                }
                out.flush();
                socket.shutdownOutput();
            } catch (IOException stoppedReading) {
                if (socket.isClosed()) {
                    return List.of(Reply.error(ErrorCode.IO, "connection failed: " + stoppedReading.getMessage()));
                }
                // The receiver may have stopped reading (an oversize or broken frame) and said why: read on.
            }
            return replies(socket.getInputStream());
        }
    }

    /** Opens a connection and closes it at once. */
    @Override
    public boolean accepts(Duration within) {
        try (Socket socket = new Socket()) {
            socket.connect(target.socketAddress(), (int) Math.min(within.toMillis(), timeout.toMillis()));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Every reply line up to the end of the stream. A line is a reply only once its newline came: a
     * line cut off by the end of the stream, like a broken connection, ends the list with a
     * retryable {@link ErrorCode#IO} error, so the still it was for stays in the spool.
     */
    static List<Reply> replies(InputStream stream) {
        List<Reply> replies = new ArrayList<>();
        try (InputStream in = new BufferedInputStream(stream)) {
            ByteArrayOutputStream line = new ByteArrayOutputStream(Reply.MAX_LINE_BYTES);
            for (int b = in.read(); b != -1; b = in.read()) {
                if (b != '\n') {
                    line.write(b);
                    continue;
                }
                replies.add(Reply.parse(line.toString(StandardCharsets.UTF_8)));
                line.reset();
            }
            if (line.size() > 0) {
                replies.add(Reply.error(ErrorCode.IO, "connection failed: reply cut off: " + line.toString(StandardCharsets.UTF_8)));
            }
        } catch (IOException | ProtocolException e) {
            replies.add(Reply.error(ErrorCode.IO, "connection failed: " + e.getMessage()));
        }
        return replies;
    }
}
