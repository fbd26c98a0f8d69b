package dev.lookout.receiver.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** A sender as the agent behaves: connect, write, half-close, read every reply line to EOF. */
public final class Client {
    private Client() {
    }

    public static List<String> send(SocketAddress address, byte[] payload) throws IOException {
        try (SocketChannel channel = open(address)) {
            channel.write(ByteBuffer.wrap(payload));
            channel.shutdownOutput();
            return lines(channel);
        }
    }

    public static SocketChannel open(SocketAddress address) throws IOException {
        SocketChannel channel = address instanceof UnixDomainSocketAddress
                ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
        channel.connect(address);
        return channel;
    }

    public static List<String> lines(SocketChannel channel) throws IOException {
        String text = new String(Channels.newInputStream(channel).readAllBytes(), StandardCharsets.UTF_8);
        return text.isEmpty() ? List.of() : Arrays.asList(text.split("\n"));
    }

    public static InetSocketAddress loopback(int port) {
        return new InetSocketAddress("127.0.0.1", port);
    }
}
