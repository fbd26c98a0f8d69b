package dev.lookout.agent.send;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A socket's output with a write timeout, which Java's blocking sockets lack ({@code SO_TIMEOUT}
 * covers reads only): a write that the peer does not take in within the timeout closes the socket,
 * and the write fails with an {@link IOException} instead of waiting on the kernel for good.
 */
final class StalledWriteGuard extends FilterOutputStream {
    private static final ScheduledThreadPoolExecutor WATCHDOG = new ScheduledThreadPoolExecutor(1, task -> {
        Thread t = new Thread(task, "write-timeout");
        t.setDaemon(true);
        return t;
    });

    static {
        WATCHDOG.setRemoveOnCancelPolicy(true);
    }

    private final Socket socket;
    private final long timeoutMillis;

    StalledWriteGuard(Socket socket, Duration timeout) throws IOException {
        super(socket.getOutputStream());
        this.socket = socket;
        this.timeoutMillis = timeout.toMillis();
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        ScheduledFuture<?> stall = WATCHDOG.schedule(this::closeSocket, timeoutMillis, TimeUnit.MILLISECONDS);
        try {
            out.write(bytes, offset, length);
        } catch (IOException e) {
            throw stall.isDone() ? new IOException("write timed out after " + timeoutMillis + " ms", e) : e;
        } finally {
            stall.cancel(false);
        }
    }

    private void closeSocket() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is all that is wanted; a failure to close leaves nothing else to do
        }
    }
}
