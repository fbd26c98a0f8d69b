package dev.lookout.agent.send;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lookout.agent.spool.Spool;
import dev.lookout.agent.spool.Upload;
import dev.lookout.agent.support.Rig;
import dev.lookout.protocol.Reply;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The running agent's deliveries against receivers that fail in ways a real one cannot on demand
 * ({@link ScriptedLink}); the retries the courier sets are taken in hand by the test instead of a
 * clock, so each test runs them when it wants and checks what was set.
 */
class CourierFaultsTest {
    /** The backoff's first wait: 60 s, drawn from 30 to 60 s, here always 45. */
    private static final Duration WAIT = Duration.ofSeconds(45);

    @TempDir
    Path dir;
    private Spool spool;
    private final BlockingQueue<Retry> retries = new LinkedBlockingQueue<>();
    private Courier courier;

    private record Retry(Duration after, Runnable task) {
    }

    @BeforeEach
    void spoolThree() throws IOException {
        spool = new Spool(dir, 1 << 20, 100);
        for (int i = 1; i <= 3; i++) {
            spool.add(Upload.of("door", 1000L * i, false, new byte[] {(byte) 0xff, (byte) 0xd8, (byte) i}));
        }
    }

    @AfterEach
    void close() throws InterruptedException {
        if (courier != null) {
            courier.close();
        }
    }

    private Courier courier(Link link) {
        courier = new Courier(spool, "door", link, 10, new Backoff(Duration.ofSeconds(60), Duration.ofSeconds(60), () -> 0.5),
                (wait, task) -> retries.add(new Retry(wait, task)));
        return courier;
    }

    private Retry nextRetry() throws InterruptedException {
        Retry retry = retries.poll(30, TimeUnit.SECONDS);
        assertNotNull(retry, "no retry was set");
        return retry;
    }

    /** The retry is set for the backoff's wait, counted from the failure. */
    private static void assertWaitsForTheBackoff(Retry retry) {
        assertTrue(retry.after().compareTo(WAIT) <= 0 && retry.after().compareTo(WAIT.minusSeconds(10)) > 0, retry.toString());
    }

    private static final String OK_ALL = "OK door/1.jpg\nOK door/2.jpg\nOK door/3.jpg\n";

    @Test
    void aReceiverAwayIsProbedUntilItAcceptsAndThenGetsTheSpool() throws Exception {
        ScriptedLink link = new ScriptedLink(null, OK_ALL);
        link.accepting = false;
        courier(link).now();
        Retry probe = nextRetry();
        assertEquals(Courier.PROBE_EVERY, probe.after(), "an unreachable receiver is probed, not waited for");
        assertTrue(courier.lastProblem().startsWith("cannot connect: Connection refused"), courier.lastProblem());
        assertEquals(3, spool.size());

        probe.task().run(); // the probe finds nobody: the next one is set
        Retry again = nextRetry();
        assertEquals(Courier.PROBE_EVERY, again.after());
        assertEquals(List.of(), link.connections, "a probe sends nothing");

        link.accepting = true;
        again.task().run();
        Rig.await(() -> courier.lastProblem().equals("none"), 30);
        assertEquals(0, spool.size());
        assertEquals(1, link.connections.size());
        assertEquals(3, link.connections.get(0).size());
    }

    /**
     * A reply cut mid-line: the receiver is there, so the courier waits for the backoff (no probe);
     * stills spooled meanwhile wait too; the retry sends what was not acknowledged, once.
     */
    @Test
    void aReplyCutMidLineWaitsForTheBackoffAndTheRetrySendsTheRest() throws Exception {
        ScriptedLink link = new ScriptedLink("OK door/1.jpg\nOK do", "OK door/2.jpg\nOK door/3.jpg\n");
        courier(link).now();
        Retry retry = nextRetry();
        assertWaitsForTheBackoff(retry);
        assertTrue(courier.lastProblem().contains("reply cut off: OK do"), courier.lastProblem());
        assertEquals(2, spool.size());

        courier.stillSpooled(); // while failing, a new still does not start a connection
        retry.task().run();
        Rig.await(() -> courier.lastProblem().equals("none"), 30);
        assertEquals(0, spool.size());
        assertEquals(2, link.connections.size(), "one connection, one retry: " + link.connections);
        assertEquals(link.connections.get(0).subList(1, 3), link.connections.get(1));
    }

    /** A bug in the link (an unchecked exception) is a failed try, not a dead sending thread. */
    @Test
    void anUnexpectedFailureIsRetriedLikeAnyOther() throws Exception {
        ScriptedLink healthy = new ScriptedLink(OK_ALL);
        Link broken = new Link() {
            private boolean failed;

            @Override
            public List<Reply> send(List<Upload> uploads) throws IOException {
                if (!failed) {
                    failed = true;
                    throw new IllegalStateException("a bug");
                }
                return healthy.send(uploads);
            }

            @Override
            public boolean accepts(Duration within) {
                return true;
            }
        };
        courier(broken).now();
        Retry retry = nextRetry();
        assertWaitsForTheBackoff(retry);
        assertTrue(courier.lastProblem().startsWith("sending failed: java.lang.IllegalStateException: a bug"),
                courier.lastProblem());
        retry.task().run();
        Rig.await(() -> courier.lastProblem().equals("none"), 30);
        assertEquals(0, spool.size());
    }
}
