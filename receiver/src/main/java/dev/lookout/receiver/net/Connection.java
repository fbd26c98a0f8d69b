package dev.lookout.receiver.net;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * One client's connection as the receiver serves it: bytes in until the client half-closes, bytes
 * out until the receiver half-closes, every wait bounded. {@link TimedChannel} is the one for
 * sockets. Nothing is buffered here: what {@link #write} returns from has been handed to the
 * connection, not read by the client.
 */
public interface Connection {
    /**
     * Reads at least one and at most {@code length} (at least 1) bytes, waiting for them.
     *
     * @return how many were read, or -1 once the client has half-closed and everything it sent was read
     * @throws SocketTimeoutException when the client sends nothing for the idle timeout, or the
     *         connection's deadline passes
     */
    int read(byte[] buffer, int offset, int length) throws IOException;

    /**
     * Hands all of {@code bytes} to the connection, waiting while the client does not read.
     *
     * @throws SocketTimeoutException when the client reads nothing for the idle timeout, or the
     *         connection's deadline passes
     */
    void write(byte[] bytes) throws IOException;

    /** Half-closes: the client reads end of stream after what was written; reading goes on. */
    void finish() throws IOException;

    /** Replaces the connection's deadline with {@code grace} from now, to say why it ends or to drain it. */
    void extendDeadline(Duration grace);

    /** The bytes in as a stream, unbuffered: each read of it is one {@link #read}. */
    default InputStream input() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return len == 0 ? 0 : Connection.this.read(b, off, len);
            }
        };
    }
}
