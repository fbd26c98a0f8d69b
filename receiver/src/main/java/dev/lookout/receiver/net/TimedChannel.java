package dev.lookout.receiver.net;

import java.io.Closeable;
import java.io.IOException;
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
public final class TimedChannel implements Connection, Closeable {
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

    @Override
    public void extendDeadline(Duration grace) {
        deadlineAt = System.nanoTime() + grace.toNanos();
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        ByteBuffer into = ByteBuffer.wrap(buffer, offset, length);
        int n;
        while ((n = channel.read(into)) == 0) {
            await(SelectionKey.OP_READ);
        }
        return n;
    }

    @Override
    public void write(byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            if (channel.write(buffer) == 0) {
                await(SelectionKey.OP_WRITE);
            }
        }
    }

    @Override
    public void finish() throws IOException {
        channel.shutdownOutput();
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
