package dev.lookout.agent.send;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lookout.agent.spool.Spool;
import dev.lookout.agent.spool.Upload;
import dev.lookout.agent.support.Tmpfs;
import dev.lookout.protocol.ErrorCode;
import dev.lookout.protocol.Reply;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drains against receivers that fail in ways a real one cannot on demand: each test asserts which
 * stills stay in the spool (every still without its {@code OK}, none lost) and which leave it.
 */
class DrainerFaultsTest {
    @TempDir
    Path dir;

    private static void chattr(String flag, Path dir) throws IOException, InterruptedException {
        assertEquals(0, new ProcessBuilder("chattr", flag, dir.toString()).inheritIO().start().waitFor(), "chattr " + flag);
    }

    private Spool spoolOf(Path at, int stills) throws IOException {
        Spool spool = new Spool(at, 1 << 20, 100);
        for (int i = 1; i <= stills; i++) {
            spool.add(Upload.of("door", 1000L * i, false, new byte[] {(byte) 0xff, (byte) 0xd8, (byte) i}));
        }
        return spool;
    }

    private static List<Long> waiting(Spool spool) throws IOException {
        return spool.peek(100).stream().map(e -> e.header().captureMillis()).toList();
    }

    @Test
    void aReplyCutMidLineKeepsItsStill() throws Exception {
        Spool spool = spoolOf(dir, 2);
        ScriptedLink receiver = new ScriptedLink("OK door/1.jpg\nOK door/2.j");
        Drainer.Result result = new Drainer(spool, receiver, 10, (e, p, ms) -> { }).drain();
        assertEquals(1, result.delivered());
        assertEquals(List.of(2000L), waiting(spool));
        assertTrue(result.problem().contains("reply cut off"), result.problem());
    }

    @Test
    void anOkForTheFirstStillOfABatchThenTheEndKeepsTheRest() throws Exception {
        Spool spool = spoolOf(dir, 3);
        List<String> ids = spool.peek(3).stream().map(e -> e.header().imageIdHex()).toList();
        List<String> stored = new ArrayList<>();
        ScriptedLink receiver = new ScriptedLink("OK door/1.jpg\n");
        Drainer.Result result = new Drainer(spool, receiver, 10, (e, p, ms) -> stored.add(p)).drain();
        assertEquals(List.of("door/1.jpg"), stored);
        assertEquals(List.of(2000L, 3000L), waiting(spool));
        assertEquals(2, result.left());
        assertEquals("no reply (connection ended)", result.problem());
        assertEquals(List.of(ids), receiver.connections, "one connection, the batch in order");
    }

    @Test
    void aWriteThatStallsKeepsEveryStill() throws Exception {
        Spool spool = spoolOf(dir, 2);
        Link stalled = new ScriptedLink("") {
            @Override
            public List<Reply> send(List<Upload> uploads) {
                // What Sender makes of a receiver that stops reading (SenderTest shows that part).
                return List.of(Reply.error(ErrorCode.IO, "connection failed: write timed out after 1000 ms"));
            }
        };
        Drainer.Result result = new Drainer(spool, stalled, 10, (e, p, ms) -> { }).drain();
        assertEquals(0, result.delivered());
        assertEquals(List.of(1000L, 2000L), waiting(spool));
        assertTrue(result.problem().contains("write timed out"), result.problem());
    }

    /** peek → send: no connection. */
    @Test
    void aFailureBetweenPeekAndSendKeepsEveryStill() throws Exception {
        Spool spool = spoolOf(dir, 2);
        Link refused = new ScriptedLink("") {
            @Override
            public List<Reply> send(List<Upload> uploads) throws IOException {
                throw new ConnectException("Connection refused");
            }
        };
        Drainer.Result result = new Drainer(spool, refused, 10, (e, p, ms) -> { }).drain();
        assertTrue(result.unreachable(), result.problem());
        assertEquals(List.of(1000L, 2000L), waiting(spool));
    }

    /** send → OK: the frames went out, the connection ended before any reply. */
    @Test
    void aFailureBetweenSendAndOkKeepsEveryStill() throws Exception {
        Spool spool = spoolOf(dir, 2);
        ScriptedLink silent = new ScriptedLink("");
        Drainer.Result result = new Drainer(spool, silent, 10, (e, p, ms) -> { }).drain();
        assertEquals(0, result.delivered());
        assertEquals(List.of(1000L, 2000L), waiting(spool));
        assertEquals(1, silent.connections.size());
    }

    /**
     * OK → remove: the spool's folder turns immutable ({@code chattr +i}, on a tmpfs so that any
     * host file system will do) once the receiver has the stills, so the removal fails. Every still stays, and the next drain sends them again under the same ids (the
     * receiver stores each once).
     */
    @Test
    void aFailureBetweenOkAndRemoveKeepsEveryStillAndTheRetrySendsTheSameIds() throws Exception {
        try (Tmpfs disk = Tmpfs.mount(dir.resolve("disk"), "size=1m")) {
            Spool spool = spoolOf(disk.path(), 2);
            ScriptedLink turnsReadOnly = new ScriptedLink("OK door/1.jpg\nOK door/2.jpg\n") {
                @Override
                void received() throws IOException {
                    if (connections.size() == 1) {
                        try {
                            chattr("+i", disk.path());
                        } catch (InterruptedException e) {
                            throw new IOException(e);
                        }
                    }
                }
            };
            Drainer drainer = new Drainer(spool, turnsReadOnly, 10, (e, p, ms) -> { });
            try {
                assertThrows(IOException.class, drainer::drain);
                assertEquals(List.of(1000L, 2000L), waiting(spool));
            } finally {
                chattr("-i", disk.path());
            }
            Drainer.Result retry = drainer.drain();
            assertEquals(2, retry.delivered());
            assertEquals(List.of(), waiting(spool));
            assertEquals(turnsReadOnly.connections.get(0), turnsReadOnly.connections.get(1));
            assertFalse(turnsReadOnly.connections.get(0).isEmpty());
        }
    }
}
