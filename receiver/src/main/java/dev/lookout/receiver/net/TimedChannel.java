package dev.lookout.receiver.net;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/**
 * A connection whose every read and write waits at most the idle timeout, and all of them together
 * at most the connection deadline, so that a slow or silent client cannot pin the receiver. Works
 * for TCP and Unix-domain channels alike (it selects instead of using socket timeouts).
 */
public final class TimedChannel implements Closeable {
    private final SocketChannel channel;
    private final Selector selector;
    private final SelectionKey key;
    private final long idleNanos;
    private final Duration deadline;
    private long deadlineAt;

    public TimedChannel(SocketChannel channel, Duration idle, Duration deadline) throws IOException {
        this.channel = channel;
        this.idleNanos = idle.toNanos();
        this.deadline = deadline;
        this.deadlineAt = System.nanoTime() + deadline.toNanos();
        channel.configureBlocking(false);
        this.selector = Selector.open();
        this.key = channel.register(selector, 0);
    }

    public SocketChannel channel() {
        return channel;
    }

    /** Allows {@code grace} more from now, to say why the connection ends after a timeout. */
    public void extendDeadline(Duration grace) {
        deadlineAt = System.nanoTime() + grace.toNanos();
    }

    public InputStream input() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return len == 0 ? 0 : readWithin(ByteBuffer.wrap(b, off, len));
            }
        };
    }

    public OutputStream output() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
                while (buffer.hasRemaining()) {
                    if (channel.write(buffer) == 0) {
                        await(SelectionKey.OP_WRITE);
                    }
                }
            }
        };
    }

    /**
     * Reads and drops what the client still sends, for at most {@code time} and {@code maxBytes},
     * so that an early reply is not lost to a reset when the connection closes with unread data.
     */
    public void discardInput(Duration time, long maxBytes) {
        extendDeadline(time);
        ByteBuffer sink = ByteBuffer.allocate(8192);
        long total = 0;
        try {
            int n;
            while (total < maxBytes && (n = readWithin(sink)) >= 0) {
                total += n;
                sink.clear();
            }
        } catch (IOException e) {
            // the client is gone or still sending: either way nothing more to do
        }
    }

    public void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }

    private int readWithin(ByteBuffer buffer) throws IOException {
        int n;
        while ((n = channel.read(buffer)) == 0) {
            await(SelectionKey.OP_READ);
        }
        return n;
    }

    private void await(int op) throws IOException {
        long now = System.nanoTime();
        long left = deadlineAt - now;
        if (left <= 0) {
            throw new SocketTimeoutException("connection deadline of " + deadline.toSeconds() + " s passed");
        }
        long wait = Math.min(idleNanos, left);
        key.interestOps(op);
        int ready = selector.select(Math.max(1, wait / 1_000_000));
        key.interestOps(0);
        selector.selectedKeys().clear();
        if (ready == 0 && System.nanoTime() - now >= wait) {
            throw new SocketTimeoutException(wait == idleNanos
                    ? "client idle for " + Duration.ofNanos(idleNanos).toMillis() + " ms"
                    : "connection deadline of " + deadline.toSeconds() + " s passed");
        }
    }

    @Override
    public void close() throws IOException {
        try {
            selector.close();
        } finally {
            channel.close();
        }
    }
}
