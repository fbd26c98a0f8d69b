package dev.lookout.agent.send;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lookout.agent.spool.Upload;
import dev.lookout.protocol.Address;
import dev.lookout.protocol.ErrorCode;
import dev.lookout.protocol.Reply;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SenderTest {
    /**
     * A receiver that accepts and then never reads (a stalled laptop, a half-dead link): the upload
     * fails after the timeout with a retryable error instead of waiting on the kernel for good.
     */
    @Test
    void aWriteThePeerNeverTakesInTimesOut() throws Exception {
        try (ServerSocket server = new ServerSocket()) {
            server.setReceiveBufferSize(4096);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Sender sender = new Sender(Address.parse("127.0.0.1:" + server.getLocalPort()), null, Duration.ofSeconds(1));
            Upload big = Upload.of("door", 1000, false, new byte[64 << 20]);
            List<Reply> replies = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> sender.send(List.of(big)));
            try (Socket stalled = server.accept()) {
                assertFalse(stalled.isClosed());
            }
            assertEquals(1, replies.size(), replies.toString());
            assertEquals(ErrorCode.IO, replies.get(0).code());
            assertTrue(replies.get(0).code().retryable());
            assertTrue(replies.get(0).text().contains("write timed out after 1000 ms"), replies.get(0).text());
        }
    }
}
