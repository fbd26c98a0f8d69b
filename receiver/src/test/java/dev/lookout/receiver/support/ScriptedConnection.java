package dev.lookout.receiver.support;

import dev.lookout.receiver.net.Connection;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A connection to a scripted client, for the faults a socket does not produce on demand: the client
 * sends the given bytes, in reads of at most a given size, then half-closes or fails every further
 * read; writes succeed up to a given count, then fail. It keeps the bytes written, whether the
 * receiver half-closed, and each deadline extension. Time does not pass: a timeout is a failure
 * scripted as a {@link java.net.SocketTimeoutException}.
 */
public final class ScriptedConnection implements Connection {
    private final byte[] sent;
    private final ByteArrayOutputStream written = new ByteArrayOutputStream();
    private final List<Duration> extensions = new ArrayList<>();
    private int readSize = Integer.MAX_VALUE;
    private IOException readFailure;
    private int writesLeft = Integer.MAX_VALUE;
    private IOException writeFailure;
    private int position;
    private boolean finished;

    private ScriptedConnection(byte[] sent) {
        this.sent = sent;
    }

    /** A client that sends {@code bytes} and half-closes. */
    public static ScriptedConnection sending(byte[] bytes) {
        return new ScriptedConnection(bytes);
    }

    /** Each read returns at most {@code bytes}. */
    public ScriptedConnection inReadsOf(int bytes) {
        readSize = bytes;
        return this;
    }

    /** Once everything was read, each read throws {@code failure} instead of returning end of stream. */
    public ScriptedConnection thenFailing(IOException failure) {
        readFailure = failure;
        return this;
    }

    /** The first {@code writes} writes succeed; each one after throws {@code failure}. */
    public ScriptedConnection failingWritesAfter(int writes, IOException failure) {
        writesLeft = writes;
        writeFailure = failure;
        return this;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (position == sent.length) {
            if (readFailure != null) {
                throw readFailure;
            }
            return -1;
        }
        int n = Math.min(Math.min(length, readSize), sent.length - position);
        System.arraycopy(sent, position, buffer, offset, n);
        position += n;
        return n;
    }

    @Override
    public void write(byte[] bytes) throws IOException {
        if (finished) {
            throw new IOException("write after the half-close");
        }
        if (writesLeft == 0) {
            throw writeFailure;
        }
        writesLeft--;
        written.writeBytes(bytes);
    }

    @Override
    public void finish() {
        finished = true;
    }

    @Override
    public void extendDeadline(Duration grace) {
        extensions.add(grace);
    }

    /** Everything written, as text. */
    public String replies() {
        return written.toString(StandardCharsets.UTF_8);
    }

    /** Whether the receiver half-closed. */
    public boolean finished() {
        return finished;
    }

    /** How many of the client's bytes were never read. */
    public int unread() {
        return sent.length - position;
    }

    /** Each deadline extension, in order. */
    public List<Duration> extensions() {
        return extensions;
    }
}
