package dev.lookout.receiver.launch;

import dev.lookout.exit.Failure;
import dev.lookout.exit.Sysexit;
import dev.lookout.receiver.ExitStatus;
import dev.lookout.receiver.ingest.ConnectionReport;
import dev.lookout.receiver.ingest.IngestPolicy;
import dev.lookout.receiver.ingest.Session;
import dev.lookout.receiver.net.Endpoint;
import dev.lookout.receiver.net.Peer;
import dev.lookout.receiver.net.TimedChannel;
import java.io.IOException;
import java.nio.channels.Channel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/**
 * Decides how the receiver runs from what it was handed: a connected socket on standard input
 * (inetd "nowait", systemd {@code Accept=yes}) is served once; a listening socket on standard input
 * (inetd "wait", {@code Accept=no}) is served until idle; otherwise {@code --listen} opens one.
 */
public final class Launcher {
    private final IngestPolicy policy;
    private final Session session;

    public Launcher(IngestPolicy policy, Session session) {
        this.policy = policy;
        this.session = session;
    }

    /**
     * @param listen   where to listen when nothing is inherited, or {@code null}
     * @param idleExit how long an inherited listening socket may go without connections
     */
    public Sysexit run(Channel inherited, Endpoint listen, Duration idleExit, int maxConnections)
            throws IOException, Failure {
        if (inherited instanceof SocketChannel connection) {
            return serveInherited(connection);
        }
        if (inherited instanceof ServerSocketChannel server) {
            new Listener(server, this, maxConnections, idleExit).run();
            return Sysexit.OK;
        }
        if (listen != null) {
            new Listener(listen.bind(maxConnections * 4), this, maxConnections, null).run();
            return Sysexit.OK;
        }
        throw new Failure(Sysexit.USAGE, "standard input is not a socket and no --listen was given;"
                + " start it from a systemd socket unit or inetd, or with --listen HOST:PORT");
    }

    /** Serves one connection, logs it once the client has its answer, and closes it. */
    public Sysexit serve(SocketChannel channel) throws IOException {
        try (TimedChannel connection = timed(channel)) {
            return serve(connection);
        }
    }

    /**
     * Serves the connection handed in on standard input and leaves it open: closing an inherited
     * channel points file descriptors 0-2 at /dev/null, and an error still to be printed would be
     * lost. The process's exit closes it; the client already has its answer and end of stream.
     */
    public Sysexit serveInherited(SocketChannel channel) throws IOException {
        return serve(timed(channel));
    }

    private TimedChannel timed(SocketChannel channel) throws IOException {
        return new TimedChannel(channel, policy.idleTimeout(), policy.deadline());
    }

    private Sysexit serve(TimedChannel connection) {
        ConnectionReport report = session.serve(connection, Peer.of(connection.channel()));
        report.log();
        return ExitStatus.of(report.worst());
    }
}
