package dev.lookout.protocol;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;

/**
 * Where a receiver listens or a sender connects: {@code HOST:PORT}, {@code [IPv6]:PORT},
 * {@code :PORT} (all addresses; for listening) or {@code unix:PATH}.
 *
 * @param host the host, empty for all addresses; {@code null} for a Unix-domain socket
 * @param port the TCP port, 0–65535
 * @param path the socket file, or {@code null} for TCP
 */
public record Address(String host, int port, Path path) {
    private static final String UNIX = "unix:";

    /** @throws IllegalArgumentException with a message fit for the user */
    public static Address parse(String text) {
        if (text.startsWith(UNIX) && text.length() > UNIX.length()) {
            return new Address(null, 0, Path.of(text.substring(UNIX.length())));
        }
        int colon = text.lastIndexOf(':');
        int port = -1;
        try {
            port = colon < 0 ? -1 : Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            // reported below
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("expected HOST:PORT, :PORT or unix:PATH, got '" + text + "'");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new Address(host, port, null);
    }

    /** The address to bind or connect to; an empty host is the wildcard address. */
    public SocketAddress socketAddress() {
        if (path != null) {
            return UnixDomainSocketAddress.of(path);
        }
        return host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
    }

    @Override
    public String toString() {
        return path != null ? UNIX + path : (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
