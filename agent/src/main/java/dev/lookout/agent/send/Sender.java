package dev.lookout.agent.send;

import dev.lookout.protocol.Address;
import dev.lookout.protocol.ErrorCode;
import dev.lookout.protocol.FrameWriter;
import dev.lookout.protocol.ImageCipher;
import dev.lookout.protocol.ProtocolException;
import dev.lookout.protocol.Reply;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
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
public final class Sender {
    private final Address target;
    private final ImageCipher cipher;
    private final Duration timeout;

    /** @param cipher the pre-shared key's cipher, or {@code null} to send in the clear */
    public Sender(Address target, ImageCipher cipher, Duration timeout) {
        this.target = target;
        this.cipher = cipher;
        this.timeout = timeout;
    }

    /**
     * Sends the stills over one connection and returns the receiver's replies in order. A reply is missing for each frame after the point
     * where the connection broke; a caller treats those as not delivered.
     *
     * @throws IOException when no connection could be made
     */
    public List<Reply> send(List<Upload> uploads) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(target.socketAddress(), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            try {
                OutputStream out = new BufferedOutputStream(new StalledWriteGuard(socket, timeout), 64 * 1024);
                FrameWriter writer = new FrameWriter(out, cipher);
                for (Upload u : uploads) {
                    writer.write(u.camera(), u.captureMillis(), u.imageId(), u.clockUnsynced(), u.jpeg());
                }
                out.flush();
                socket.shutdownOutput();
            } catch (IOException stoppedReading) {
                if (socket.isClosed()) {
                    return List.of(Reply.error(ErrorCode.IO, "connection failed: " + stoppedReading.getMessage()));
                }
                // The receiver may have stopped reading (an oversize or broken frame) and said why: read on.
            }
            return replies(socket);
        }
    }

    /** Whether the receiver accepts a connection now (closed at once, nothing sent): a cheap probe. */
    public boolean accepts(Duration within) {
        try (Socket socket = new Socket()) {
            socket.connect(target.socketAddress(), (int) Math.min(within.toMillis(), timeout.toMillis()));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static List<Reply> replies(Socket socket) {
        List<Reply> replies = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                replies.add(Reply.parse(line));
            }
        } catch (IOException | ProtocolException e) {
            replies.add(Reply.error(ErrorCode.IO, "connection failed: " + e.getMessage()));
        }
        return replies;
    }
}
