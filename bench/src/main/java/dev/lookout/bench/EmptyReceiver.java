package dev.lookout.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * The floor for a per-connection JVM: takes the inherited connection, reads it to EOF, replies one
 * line and half-closes. Started exactly like the receiver, with the same JDK and flags.
 */
public final class EmptyReceiver {
    private EmptyReceiver() {
    }

    public static void main(String[] args) throws IOException {
        try (SocketChannel connection = (SocketChannel) System.inheritedChannel()) {
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            while (connection.read(buffer) >= 0) {
                buffer.clear();
            }
            connection.write(ByteBuffer.wrap("OK x\n".getBytes(StandardCharsets.US_ASCII)));
            connection.shutdownOutput();
        }
    }
}
