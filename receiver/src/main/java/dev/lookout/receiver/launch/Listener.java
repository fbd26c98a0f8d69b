package dev.lookout.receiver.launch;

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
 * that long. On JVM shutdown (SIGTERM) it stops accepting and lets open connections finish.
 */
final class Listener {
    private static final long DRAIN_SECONDS = 10;

    private final ServerSocketChannel server;
    private final Launcher launcher;
    private final int maxConnections;
    private final Duration idleExit;
    private final Semaphore permits;
    private volatile long lastActive = System.nanoTime();

    Listener(ServerSocketChannel server, Launcher launcher, int maxConnections, Duration idleExit) {
        this.server = server;
        this.launcher = launcher;
        this.maxConnections = maxConnections;
        this.idleExit = idleExit;
        this.permits = new Semaphore(maxConnections);
    }

    void run() throws IOException {
        AtomicInteger serial = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(maxConnections, task -> {
            Thread thread = new Thread(task, "connection-" + serial.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        Thread drain = new Thread(() -> stop(pool), "drain");
        Runtime.getRuntime().addShutdownHook(drain);
        server.configureBlocking(false);
        Launcher.log("listening on {} (up to {} connections at once{})", server.getLocalAddress(), maxConnections,
                idleExit == null ? "" : ", exit after " + idleExit.toSeconds() + " s idle");
        try (Selector selector = Selector.open()) {
            server.register(selector, SelectionKey.OP_ACCEPT);
            while (server.isOpen() && !idle()) {
                permits.acquireUninterruptibly();
                SocketChannel connection = server.accept();
                if (connection == null) {
                    permits.release();
                    selector.select(idleExit == null ? 0 : Math.max(1, idleExit.toMillis()));
                    selector.selectedKeys().clear();
                    continue;
                }
                pool.execute(() -> serve(connection));
            }
        } catch (IOException e) {
            if (server.isOpen()) {
                throw e;
            }
        }
        if (idle()) {
            Launcher.log("no connection for {} s, exiting", idleExit.toSeconds());
            Runtime.getRuntime().removeShutdownHook(drain);
        }
        stop(pool);
    }

    private void serve(SocketChannel connection) {
        try {
            launcher.serve(connection);
        } catch (IOException | RuntimeException e) {
            LoggerFactory.getLogger("lookout.receiver").warn("connection failed: {}", e.toString());
        } finally {
            lastActive = System.nanoTime();
            permits.release();
        }
    }

    private boolean idle() {
        return idleExit != null && permits.availablePermits() == maxConnections
                && System.nanoTime() - lastActive >= idleExit.toNanos();
    }

    private void stop(ExecutorService pool) {
        try {
            server.close();
        } catch (IOException e) {
            LoggerFactory.getLogger("lookout.receiver").warn("closing the listening socket failed: {}", e.toString());
        }
        pool.shutdown();
        try {
            pool.awaitTermination(DRAIN_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
