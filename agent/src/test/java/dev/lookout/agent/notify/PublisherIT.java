package dev.lookout.agent.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lookout.agent.support.Mosquitto;
import dev.lookout.agent.support.Rig;
import dev.lookout.agent.support.Subscriber;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The publisher's bound on events kept while the broker is away, against Debian's mosquitto. */
class PublisherIT {
    @TempDir
    Path dir;

    @Test
    void beyondTheBoundTheOldestEventsAreDroppedAndTheRestArriveInOrder() throws Exception {
        try (Mosquitto broker = Mosquitto.start(dir.resolve("broker"), null, null, false)) {
            // a session the broker keeps, so that nothing depends on who reconnects first
            Subscriber.start(broker.port(), List.of(), List.of("cam/events"), "-c", "-i", "house").close();
            broker.stop();
            Publisher publisher = new Publisher(Broker.parse("mqtt://127.0.0.1:" + broker.port(), null, null, null), "bound",
                    "cam/available");
            publisher.start();
            int sent = Publisher.MAX_EVENTS + 5;
            for (int i = 0; i < sent; i++) {
                publisher.event("cam/events", String.valueOf(i).getBytes(StandardCharsets.US_ASCII));
            }
            Rig.await(() -> publisher.status().endsWith("away (ConnectException: Connection refused), "
                    + Publisher.MAX_EVENTS + " messages waiting"), 30);
            broker.start();
            try (Subscriber house = Subscriber.start(broker.port(), List.of(), List.of("cam/events"), "-c", "-i", "house")) {
                Rig.await(() -> house.on("cam/events").size() >= Publisher.MAX_EVENTS, 120);
                assertEquals(IntStream.range(sent - Publisher.MAX_EVENTS, sent).mapToObj(String::valueOf).toList(),
                        house.texts("cam/events"));
                assertTrue(publisher.status().endsWith(": connected"), publisher.status());
            } finally {
                publisher.close(Duration.ofSeconds(1));
            }
        }
    }
}
