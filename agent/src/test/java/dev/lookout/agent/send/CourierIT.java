package dev.lookout.agent.send;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lookout.agent.spool.Spool;
import dev.lookout.agent.support.ReceiverProcess;
import dev.lookout.agent.support.Rig;
import dev.lookout.protocol.Address;
import dev.lookout.agent.spool.Upload;
import dev.lookout.protocol.ImageCipher;
import dev.lookout.protocol.PresharedKey;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The running agent's deliveries after an outage: a receiver that comes back is noticed by a probe. */
class CourierIT {
    @TempDir
    Path dir;

    @Test
    void aReceiverBackFromAnOutageGetsTheSpoolLongBeforeTheBackoffEnds() throws Exception {
        Spool spool = new Spool(dir.resolve("spool"), 1L << 30, 100);
        byte[] jpeg = Rig.crossingClip(dir.resolve("clip"), 1).get(0);
        spool.add(Upload.of("door", 1_700_000_000_000L, false, jpeg));
        Path key = dir.resolve("key");
        PresharedKey.generate(key);
        int port = Rig.freePort();
        Sender sender = new Sender(Address.parse("127.0.0.1:" + port), new ImageCipher(PresharedKey.read(key)),
                Duration.ofSeconds(5));
        Path images = dir.resolve("images");
        // the first wait after the failure is 150 to 300 s
        Backoff backoff = new Backoff(Duration.ofSeconds(300), Duration.ofSeconds(300), () -> 0.5);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        Courier courier = new Courier(spool, "door", sender, 10, backoff,
                (wait, task) -> timer.schedule(task, wait.toMillis(), TimeUnit.MILLISECONDS));
        try {
            courier.now();
            Rig.await(() -> courier.lastProblem().startsWith("cannot connect"), 30);
            assertEquals(1, spool.size());
            try (ReceiverProcess receiver = ReceiverProcess.start(images, key, "0", port)) {
                // within 60 s, while the backoff alone would wait at least 150
                Rig.await(() -> Rig.stored(images).size() == 1, 60);
                Rig.await(() -> courier.lastProblem().equals("none"), 30);
            }
            assertEquals(0, spool.size());
        } finally {
            courier.close();
            timer.shutdownNow();
        }
    }
}
