package dev.lookout.agent.send;

import dev.lookout.agent.spool.Upload;
import dev.lookout.protocol.Reply;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * The way to the receiver, as {@link Drainer} and {@link Courier} use it: one connection per batch
 * of stills. {@link Sender} is the one over TCP; tests put failing ones in its place for faults a
 * real receiver cannot produce on demand.
 */
public interface Link {
    /**
     * Sends the stills over one connection and returns the receiver's replies in order; a reply is
     * missing for each still after the point where the connection broke.
     *
     * @throws IOException when no connection could be made
     */
    List<Reply> send(List<Upload> uploads) throws IOException;

    /** Whether the receiver accepts a connection now (nothing sent): a cheap probe. */
    boolean accepts(Duration within);
}
