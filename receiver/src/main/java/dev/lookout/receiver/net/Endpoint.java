package dev.lookout.receiver.net;

import dev.lookout.protocol.Address;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where {@code --listen} binds: {@code HOST:PORT}, {@code [IPv6]:PORT}, {@code :PORT} (all addresses) or {@code unix:PATH}. */
public record Endpoint(Address address) {
    /** @throws IllegalArgumentException for text that is no address */
    public Endpoint(String text) {
        this(Address.parse(text));
    }

    /** Opens a listening socket; a stale Unix socket file at the path is replaced. */
    public ServerSocketChannel bind(int backlog) throws IOException {
        Path path = address.path();
        if (path != null) {
            if (Files.exists(path) && !Files.isRegularFile(path) && !Files.isDirectory(path)) {
                Files.delete(path);
            }
            return ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(address.socketAddress(), backlog);
        }
        if (address.socketAddress() instanceof InetSocketAddress inet && inet.isUnresolved()) {
            throw new IOException("cannot resolve " + address.host());
        }
        return ServerSocketChannel.open().bind(address.socketAddress(), backlog);
    }

    @Override
    public String toString() {
        return address.toString();
    }
}
