package dev.lookout.receiver.launch;

import dev.lookout.exit.Failure;
import dev.lookout.exit.Sysexit;
import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.LoggerFactory;

/**
 * Accepts connections on a listening socket and serves up to {@code maxConnections} at once; more
 * wait in the socket's backlog. With an idle limit, returns once no connection has been open for
 * that long. On SIGTERM it stops accepting, lets open connections finish (for up to
 * {@value #DRAIN_SECONDS} s) and exits 0, or 143 when some did not finish. The listening socket is
 * never closed before the process ends: closing an inherited one points file descriptors 0-2 at
 * /dev/null, and the last connections' log lines would be lost.
 */
final class Listener {
    private static final long DRAIN_SECONDS = 10;
    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger("lookout.receiver");

    private final ServerSocketChannel server;
    private final Launcher launcher;
    private final int maxConnections;
    private final Duration idleExit;
    private final Semaphore permits;
    private volatile long lastActive = System.nanoTime();
    private volatile boolean stopping;

    Listener(ServerSocketChannel server, Launcher launcher, int maxConnections, Duration idleExit) {
        this.server = server;
        this.launcher = launcher;
        this.maxConnections = maxConnections;
        this.idleExit = idleExit;
        this.permits = new Semaphore(maxConnections);
    }

    /**
     * @throws Failure {@link Sysexit#DATA} when the socket is no listening one after all:
     *         a connection reset before the JVM started looks like one to {@code System.inheritedChannel()}
     */
    void run() throws IOException, Failure {
        server.configureBlocking(false);
        SocketChannel first = firstAccept();
        AtomicInteger serial = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(maxConnections, task -> {
            Thread thread = new Thread(task, "connection-" + serial.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        try (Selector selector = Selector.open()) {
            Thread drain = new Thread(() -> drainAndExit(pool, selector), "drain");
            Runtime.getRuntime().addShutdownHook(drain);
            log("listening on {} (up to {} connections at once{})", server.getLocalAddress(), maxConnections,
                    idleExit == null ? "" : ", exit after " + idleExit.toSeconds() + " s idle");
            try {
                accept(first, pool, selector);
            } finally {
                removeHook(drain);
            }
        }
        if (!stopping) { // else the drain hook ends the process, and the exit waits for it
            log("no connection for {} s, exiting", idleExit.toSeconds());
            drain(pool);
        }
    }

    private void accept(SocketChannel first, ExecutorService pool, Selector selector) throws IOException {
        server.register(selector, SelectionKey.OP_ACCEPT);
        SocketChannel connection = first;
        while (!stopping && !idle()) {
            permits.acquireUninterruptibly();
            if (connection == null) {
                connection = server.accept();
            }
            if (connection == null) {
                permits.release();
                selector.select(idleExit == null ? 0 : Math.max(1, idleExit.toMillis()));
                selector.selectedKeys().clear();
                continue;
            }
            SocketChannel accepted = connection;
            pool.execute(() -> serve(accepted));
            connection = null;
        }
    }

    /** The first accept, which tells a listening socket from a connection already reset. */
    private SocketChannel firstAccept() throws Failure, IOException {
        try {
            return server.accept();
        } catch (IOException e) {
            if (!"Invalid argument".equals(e.getMessage())) { // EINVAL: accept(2) on a socket that is not listening
                throw e;
            }
            throw new Failure(Sysexit.DATA, "the socket on standard input is not listening: a connection"
                    + " reset by its peer before the receiver started (" + e.getMessage() + ")");
        }
    }

    private void serve(SocketChannel connection) {
        try {
            launcher.serve(connection);
        } catch (IOException | RuntimeException e) {
            LOG.warn("connection failed: {}", e.toString());
        } finally {
            lastActive = System.nanoTime();
            permits.release();
        }
    }

    private boolean idle() {
        return idleExit != null && permits.availablePermits() == maxConnections
                && System.nanoTime() - lastActive >= idleExit.toNanos();
    }

    /** On SIGTERM: no more accepts, the open connections finish, and the exit status says whether they did. */
    private void drainAndExit(ExecutorService pool, Selector selector) {
        stopping = true;
        selector.wakeup();
        LOG.info("stopping: no new connections, waiting up to {} s for {} open", DRAIN_SECONDS,
                maxConnections - permits.availablePermits());
        if (drain(pool)) {
            Runtime.getRuntime().halt(Sysexit.OK.code());
        }
        LOG.warn("stopped with connections still open after {} s", DRAIN_SECONDS);
    }

    /** Lets the pool's connections finish; whether they did in time. */
    private static boolean drain(ExecutorService pool) {
        pool.shutdown();
        try {
            return pool.awaitTermination(DRAIN_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs: it ends the process
        }
    }

    private static void log(String message, Object... args) {
        LoggerFactory.getLogger("lookout.receiver").info(message, args);
    }
}
