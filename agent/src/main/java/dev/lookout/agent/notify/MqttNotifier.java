package dev.lookout.agent.notify;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The camera over MQTT, as Home Assistant and Frigate users expect (docs/MQTT.md has the topic
 * table): {@code <prefix>/<cam>/available}, {@code motion}, {@code snapshot}, {@code events},
 * {@code armed}, {@code problem}; {@code armed/set} and {@code snapshot/set} act as {@code ctl arm},
 * {@code ctl disarm} and {@code ctl snapshot}; with a discovery prefix, the camera appears in Home
 * Assistant by itself ({@link Discovery}). All publishing is the {@link Publisher}'s, on its thread.
 */
public final class MqttNotifier implements Notifier {
    static final byte[] OFFLINE = bytes("offline");
    private static final Logger LOG = LoggerFactory.getLogger("lookout.mqtt");
    private static final byte[] ONLINE = bytes("online");
    private static final byte[] ON = bytes("ON");
    private static final byte[] OFF = bytes("OFF");

    private final String camera;
    private final String base;
    private final Discovery discovery;
    private final Publisher publisher;
    private final ZoneId zone;
    private int event;
    private long eventStart;
    private double peak;
    private int stills;

    /**
     * @param prefix          the topics' prefix ({@code lookout})
     * @param discoveryPrefix Home Assistant's discovery prefix ({@code homeassistant}), empty for no discovery
     * @param version         the agent's version, for the device Home Assistant shows
     */
    public MqttNotifier(Broker broker, String camera, String prefix, String discoveryPrefix, String version, ZoneId zone) {
        this.camera = camera;
        this.base = prefix + "/" + camera + "/";
        this.zone = zone;
        this.publisher = new Publisher(broker, "lookout-" + camera, base + "available");
        this.discovery = discoveryPrefix.isEmpty() ? null : new Discovery(discoveryPrefix, prefix, camera, version);
        // the states until told otherwise (a camera lost before start() is told before it)
        publisher.state(base + "motion", OFF);
        publisher.state(base + "problem", OFF);
    }

    @Override
    public void start(UnaryOperator<String> control) {
        publisher.state(base + "available", ONLINE);
        publisher.subscribe(base + "armed/set", (topic, payload) -> {
            String value = new String(payload, StandardCharsets.UTF_8).strip().toUpperCase(Locale.ROOT);
            if (value.equals("ON") || value.equals("OFF")) {
                LOG.info("MQTT: {} -> {}", topic, control.apply(value.equals("ON") ? "arm" : "disarm"));
            } else {
                LOG.warn("MQTT: {} takes ON or OFF, not '{}'", topic, value);
            }
        });
        publisher.subscribe(base + "snapshot/set", (topic, payload) ->
                LOG.info("MQTT: {} -> {}", topic, control.apply("snapshot")));
        if (discovery != null) {
            discovery.configs().forEach((topic, config) -> publisher.state(topic, bytes(config)));
            publisher.subscribe(discovery.statusTopic(), (topic, payload) -> {
                if (new String(payload, StandardCharsets.UTF_8).strip().equals("online")) {
                    publisher.resend(discovery.configs().keySet());
                }
            });
        }
        publisher.start();
    }

    @Override
    public synchronized void observe(int eventId, double changedPercent, long captureMillis) {
        if (eventId == event) {
            peak = Math.max(peak, changedPercent);
            return;
        }
        if (event != 0) {
            publisher.state(base + "motion", OFF);
            publisher.event(base + "events", bytes(json("end", captureMillis)));
        }
        event = eventId;
        if (eventId != 0) {
            eventStart = captureMillis;
            peak = changedPercent;
            stills = 0;
            publisher.state(base + "motion", ON);
            publisher.event(base + "events", bytes(json("new", 0)));
        }
    }

    @Override
    public synchronized void still(int eventId, byte[] jpeg) {
        publisher.state(base + "snapshot", jpeg);
        if (eventId != 0 && eventId == event) {
            stills++;
            publisher.event(base + "events", bytes(json("update", 0)));
        }
    }

    @Override
    public void armed(boolean armed) {
        publisher.state(base + "armed", armed ? ON : OFF);
    }

    @Override
    public void problem(boolean lost) {
        publisher.state(base + "problem", lost ? ON : OFF);
    }

    @Override
    public String status() {
        return publisher.status();
    }

    /** Ends an open event, says {@code offline}, sends what waits for 3 s at most, disconnects. */
    @Override
    public void close() {
        observe(0, 0, System.currentTimeMillis());
        publisher.state(base + "available", OFFLINE);
        publisher.close(Duration.ofSeconds(3));
    }

    /**
     * The event's JSON; camera names need no escaping ({@code A-Z a-z 0-9 . _ -}).
     *
     * @param endMillis its end, 0 while it lasts
     */
    private String json(String type, long endMillis) {
        return String.format(Locale.ROOT, "{\"type\":\"%s\",\"id\":\"%s-%d\",\"camera\":\"%s\",\"start_time\":\"%s\","
                + "\"end_time\":%s,\"peak_changed_pct\":%.2f,\"stills\":%d}", type, camera, eventStart, camera,
                time(eventStart), endMillis == 0 ? "null" : "\"" + time(endMillis) + "\"", peak, stills);
    }

    private String time(long millis) {
        return OffsetDateTime.ofInstant(Instant.ofEpochMilli(millis), zone).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
