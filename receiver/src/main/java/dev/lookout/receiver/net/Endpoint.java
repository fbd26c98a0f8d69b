package dev.lookout.receiver.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where {@code --listen} binds: {@code HOST:PORT}, {@code [IPv6]:PORT}, {@code :PORT} (all addresses) or {@code unix:PATH}. */
public record Endpoint(String text) {
    private static final String UNIX = "unix:";

    public Endpoint {
        if (text.startsWith(UNIX) ? text.length() == UNIX.length() : port(text) < 0) {
            throw new IllegalArgumentException("expected HOST:PORT, :PORT or unix:PATH, got '" + text + "'");
        }
    }

    /** Opens a listening socket; a stale Unix socket file at the path is replaced. */
    public ServerSocketChannel bind(int backlog) throws IOException {
        if (text.startsWith(UNIX)) {
            Path path = Path.of(text.substring(UNIX.length()));
            if (Files.exists(path) && !Files.isRegularFile(path) && !Files.isDirectory(path)) {
                Files.delete(path);
            }
            return ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(path), backlog);
        }
        int colon = text.lastIndexOf(':');
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        InetSocketAddress address = host.isEmpty() ? new InetSocketAddress(port(text)) : new InetSocketAddress(host, port(text));
        if (address.isUnresolved()) {
            throw new IOException("cannot resolve " + host);
        }
        return ServerSocketChannel.open().bind(address, backlog);
    }

    private static int port(String text) {
        int colon = text.lastIndexOf(':');
        try {
            int port = colon < 0 ? -1 : Integer.parseInt(text.substring(colon + 1));
            return port >= 0 && port <= 65535 ? port : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public String toString() {
        return text;
    }
}
