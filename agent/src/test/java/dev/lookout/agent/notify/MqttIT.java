package dev.lookout.agent.notify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lookout.agent.support.Mosquitto;
import dev.lookout.agent.support.ReceiverProcess;
import dev.lookout.agent.support.Rig;
import dev.lookout.agent.support.Subscriber;
import dev.lookout.protocol.PresharedKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged agent against Debian's mosquitto, started here on free loopback ports, with
 * {@code mosquitto_sub} and {@code mosquitto_pub} as the independent clients.
 */
class MqttIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ID = Pattern.compile("[a-zA-Z0-9_-]+");
    private static final List<String> ALL = List.of("lookout/#", "homeassistant/#");

    @TempDir
    Path dir;

    private final List<Process> agents = new ArrayList<>();

    private Process agent(String camera, String... more) throws IOException {
        List<String> args = new ArrayList<>(List.of("run", "--camera", camera, "--spool", dir.resolve(camera + "-spool").toString(),
                "--control", dir.resolve(camera + ".sock").toString(), "--clock-wait", "0"));
        args.addAll(List.of(more));
        Process agent = Rig.agent(dir.resolve(camera + ".log"), args.toArray(String[]::new));
        agents.add(agent);
        return agent;
    }

    /** No agent outlives its test, whatever failed. */
    @AfterEach
    void killAgents() throws InterruptedException {
        for (Process agent : agents) {
            agent.destroyForcibly();
            agent.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private String log(String camera) {
        return Rig.read(dir.resolve(camera + ".log"));
    }

    private void stopAgents() throws InterruptedException {
        for (Process agent : agents) {
            agent.destroy();
            assertTrue(agent.waitFor(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void everyTopicDiscoveryCommandsFromTheHouseAndTheLastWill() throws Exception {
        Path key = dir.resolve("key");
        PresharedKey.generate(key);
        Path images = dir.resolve("images");
        try (Mosquitto broker = Mosquitto.start(dir.resolve("broker"), null, null, false);
             ReceiverProcess receiver = ReceiverProcess.start(images, key, "0", 0);
             Subscriber sub = Subscriber.start(broker.port(), List.of(), ALL)) {
            Process agent = agent("door", "--source", "synthetic", "--fps", "5", "--to", "127.0.0.1:" + receiver.port(),
                    "--key-file", key.toString(), "--mqtt", "mqtt://127.0.0.1:" + broker.port());
            Rig.await(() -> sub.texts("lookout/door/events").stream().anyMatch(e -> e.contains("\"type\":\"end\"")), 120);

            assertEquals("online", sub.texts("lookout/door/available").get(0));
            assertEquals("ON", sub.texts("lookout/door/armed").get(0));
            assertEquals("OFF", sub.texts("lookout/door/problem").get(0));
            List<String> motion = sub.texts("lookout/door/motion");
            assertEquals(List.of("OFF", "ON", "OFF"), motion.subList(0, 3));
            List<JsonNode> events = new ArrayList<>();
            for (String text : sub.texts("lookout/door/events")) {
                events.add(JSON.readTree(text));
            }
            checkEvents(events, "door");
            assertTrue(sub.on("lookout/door/events").stream().noneMatch(Subscriber.Message::retained));
            // the still's bytes are the bytes the receiver stored
            Rig.await(() -> !Rig.stored(images).isEmpty(), 60);
            byte[] snapshot = sub.on("lookout/door/snapshot").get(0).payload();
            assertEquals(0xFFD8, (snapshot[0] & 0xFF) << 8 | (snapshot[1] & 0xFF));
            assertTrue(Rig.stored(images).stream().anyMatch(p -> Arrays.equals(bytes(p), snapshot)), "the snapshot is a still sent");

            checkDiscovery(sub, "homeassistant", "lookout", "door");
            int configs = sub.all(m -> m.topic().startsWith("homeassistant/")).size();
            // a Home Assistant that starts asks again
            broker.publish("homeassistant/status", "online");
            Rig.await(() -> sub.all(m -> m.topic().startsWith("homeassistant/")).size() >= configs + 5, 30);

            Path socket = dir.resolve("door.sock");
            broker.publish("lookout/door/armed/set", "OFF");
            Rig.await(() -> sub.texts("lookout/door/armed").contains("OFF"), 30);
            assertTrue(Rig.ctl(socket, "status").out().contains("armed: no"));
            broker.publish("lookout/door/armed/set", "ON");
            Rig.await(() -> sub.texts("lookout/door/armed").lastIndexOf("ON") > sub.texts("lookout/door/armed").indexOf("OFF"), 30);
            assertTrue(Rig.ctl(socket, "status").out().contains("armed: yes"));

            int stills = sub.on("lookout/door/snapshot").size();
            broker.publish("lookout/door/snapshot/set", "PRESS");
            Rig.await(() -> sub.on("lookout/door/snapshot").size() > stills, 30);
            String status = Rig.ctl(socket, "status").out();
            assertTrue(status.contains("\nmqtt: mqtt://127.0.0.1:" + broker.port() + ": connected"), status);

            // the retained topics, as a subscriber that comes later sees them
            try (Subscriber later = Subscriber.start(broker.port(), List.of(), ALL)) {
                Rig.await(() -> later.on("lookout/door/snapshot").size() == 1, 30);
                for (String topic : List.of("available", "motion", "armed", "problem", "snapshot")) {
                    assertTrue(later.on("lookout/door/" + topic).get(0).retained(), topic);
                }
                assertEquals(5, later.all(m -> m.topic().startsWith("homeassistant/") && m.retained()).size());
                assertTrue(later.on("lookout/door/events").isEmpty());
            }

            int offline = sub.texts("lookout/door/available").size();
            agent.destroyForcibly();
            assertTrue(agent.waitFor(30, TimeUnit.SECONDS));
            Rig.await(() -> sub.texts("lookout/door/available").size() > offline, 30);
            assertEquals("offline", sub.texts("lookout/door/available").get(offline));
        }
    }

    /**
     * The broker stopped while events happen, started again 20 s later: capture and delivery go on,
     * one warning, one line when it is back, and every event comes through afterwards, in order.
     */
    @Test
    void eventsDuringABrokerOutageArriveInOrderAfterIt() throws Exception {
        Path key = dir.resolve("key");
        PresharedKey.generate(key);
        Path images = dir.resolve("images");
        Path clip = dir.resolve("clip");
        Rig.crossingClip(clip, 40);
        try (Mosquitto broker = Mosquitto.start(dir.resolve("broker"), null, null, false);
             ReceiverProcess receiver = ReceiverProcess.start(images, key, "0", 0)) {
            Subscriber sub = Subscriber.start(broker.port(), List.of(), List.of("lookout/#"), "-c", "-i", "house");
            agent("gate", "--source", "file:" + clip, "--fps", "10", "--event-gap", "1000", "--to",
                    "127.0.0.1:" + receiver.port(), "--key-file", key.toString(), "--mqtt", "mqtt://127.0.0.1:" + broker.port());
            Rig.await(() -> sub.texts("lookout/gate/events").stream().anyMatch(e -> e.contains("\"type\":\"end\"")), 120);
            sub.close();
            broker.stop();
            int before = starts(log("gate"));
            int stored = Rig.stored(images).size();
            Rig.await(() -> log("gate").contains("MQTT: broker"), 30);
            Rig.await(() -> starts(log("gate")) >= before + 3, 120);
            broker.start();
            try (Subscriber after = Subscriber.start(broker.port(), List.of(), List.of("lookout/#"), "-c", "-i", "house")) {
                Rig.await(() -> log("gate").contains("is back"), 120);
                stopAgents();
                int events = starts(log("gate"));
                Rig.await(() -> after.texts("lookout/gate/events").stream().filter(e -> e.contains("\"type\":\"end\"")).count()
                        + sub.texts("lookout/gate/events").stream().filter(e -> e.contains("\"type\":\"end\"")).count() >= events, 60);
                List<JsonNode> all = new ArrayList<>();
                for (String text : Stream.concat(sub.texts("lookout/gate/events").stream(),
                        after.texts("lookout/gate/events").stream()).toList()) {
                    all.add(JSON.readTree(text));
                }
                checkEvents(all, "gate");
                assertEquals(events, all.stream().filter(e -> e.get("type").asText().equals("new")).count());
                assertTrue(Rig.stored(images).size() > stored, "delivery went on during the outage (3 events)");
                assertEquals(1, count(log("gate"), "MQTT: broker .* away"), log("gate"));
                assertEquals(1, count(log("gate"), "MQTT: broker .* is back"), log("gate"));
            }
        }
    }

    /**
     * A wrong password: one clear error line, and the agent goes on; the right one from a file, shown
     * as ***; the camera lost and back is the problem topic's ON and OFF.
     */
    @Test
    void passwordsFromAFileNeverShownAndAWrongOneIsOneErrorLine() throws Exception {
        Path right = Files.writeString(dir.resolve("right"), "s3cret-pass\n");
        Path wrong = Files.writeString(dir.resolve("wrong"), "guess\n");
        Path clip = dir.resolve("clip");
        try (Mosquitto broker = Mosquitto.start(dir.resolve("broker"), "cam", "s3cret-pass", false);
             Subscriber sub = Subscriber.start(broker.port(), List.of("-u", "cam", "-P", "s3cret-pass"), List.of("lookout/#"))) {
            String url = "mqtt://127.0.0.1:" + broker.port();
            agent("bad", "--source", "synthetic", "--to", "127.0.0.1:" + Rig.freePort(), "--mqtt", url, "--mqtt-user", "cam",
                    "--mqtt-password-file", wrong.toString());
            agent("good", "--source", "file:" + clip, "--to", "127.0.0.1:" + Rig.freePort(), "--mqtt", url, "--mqtt-user", "cam",
                    "--mqtt-password-file", right.toString());
            Rig.await(() -> sub.texts("lookout/good/problem").contains("ON"), 60);
            assertEquals(List.of("online"), sub.texts("lookout/good/available"));
            Rig.await(() -> log("bad").contains("refused"), 60);
            Rig.await(() -> log("bad").contains("motion started"), 120);
            assertEquals(1, count(log("bad"), "MQTT"), log("bad"));
            assertTrue(log("bad").contains("ERROR MQTT: broker mqtt://127.0.0.1:" + broker.port()
                    + " (user cam, password ***) refused the connection: "), log("bad"));
            assertTrue(sub.on("lookout/bad/available").isEmpty());
            String status = Rig.ctl(dir.resolve("good.sock"), "status").out();
            assertTrue(status.contains("mqtt: " + url + " (user cam, password ***): connected"), status);
            assertTrue(status.contains("source: lost: "), status);
            // the camera comes back: the problem ends
            Rig.crossingClip(dir.resolve("clip.new"), 20);
            Files.move(dir.resolve("clip.new"), clip);
            Rig.await(() -> sub.texts("lookout/good/problem").lastIndexOf("OFF") > sub.texts("lookout/good/problem").indexOf("ON"),
                    60);
            String badStatus = Rig.ctl(dir.resolve("bad.sock"), "status").out();
            assertTrue(badStatus.contains("password ***): away (user name or password not accepted)"), badStatus);
            for (String text : List.of(log("bad"), log("good"), status, badStatus)) {
                assertFalse(text.contains("s3cret") || text.contains("guess"), text);
            }
            stopAgents();
            Rig.await(() -> sub.texts("lookout/good/available").contains("offline"), 30);
        }
    }

    /** mqtts with a test CA: trusted with --mqtt-ca; refused without it, and refused for a host name the certificate lacks. */
    @Test
    void tlsWithATestCaAndRefusedOtherwise() throws Exception {
        try (Mosquitto broker = Mosquitto.start(dir.resolve("broker"), null, null, true);
             Subscriber sub = Subscriber.start(broker.port(), List.of(), List.of("lookout/#"))) {
            String to = "127.0.0.1:" + Rig.freePort();
            agent("trusted", "--source", "synthetic", "--to", to, "--mqtt", "mqtts://localhost:" + broker.tlsPort(), "--mqtt-ca",
                    broker.ca().toString());
            agent("unknown", "--source", "synthetic", "--to", to, "--mqtt", "mqtts://localhost:" + broker.tlsPort());
            agent("wrongname", "--source", "synthetic", "--to", to, "--mqtt", "mqtts://127.0.0.1:" + broker.tlsPort(),
                    "--mqtt-ca", broker.ca().toString());
            Rig.await(() -> sub.texts("lookout/trusted/available").contains("online"), 60);
            for (String camera : List.of("unknown", "wrongname")) {
                Rig.await(() -> log(camera).contains("refused the connection"), 60);
                assertEquals(1, count(log(camera), "MQTT"), log(camera));
                assertTrue(log(camera).contains("SSLHandshakeException"), log(camera));
            }
            assertTrue(log("unknown").contains("PKIX"), log("unknown"));
            assertTrue(log("wrongname").contains("subject alternative names"), log("wrongname"));
            assertTrue(sub.on("lookout/unknown/available").isEmpty() && sub.on("lookout/wrongname/available").isEmpty());
            stopAgents();
        }
    }

    /** Every event: new, updates, end, with its fields; ids in order, none twice, start before end. */
    private static void checkEvents(List<JsonNode> events, String camera) {
        Map<String, List<String>> types = new LinkedHashMap<>();
        String open = null;
        for (JsonNode event : events) {
            String id = event.get("id").asText();
            String type = event.get("type").asText();
            assertEquals(camera, event.get("camera").asText());
            assertNotNull(OffsetDateTime.parse(event.get("start_time").asText()));
            assertTrue(event.get("peak_changed_pct").isNumber() && event.get("stills").isInt(), event.toString());
            switch (type) {
                case "new" -> {
                    assertEquals(null, open, "an event starts after the last ended: " + events);
                    assertFalse(types.containsKey(id), "once: " + id);
                    assertTrue(event.get("end_time").isNull());
                    open = id;
                }
                case "update" -> assertEquals(open, id);
                case "end" -> {
                    assertEquals(open, id);
                    assertTrue(OffsetDateTime.parse(event.get("end_time").asText())
                            .isAfter(OffsetDateTime.parse(event.get("start_time").asText())));
                    open = null;
                }
                default -> throw new AssertionError(type);
            }
            types.computeIfAbsent(id, k -> new ArrayList<>()).add(type);
        }
        assertFalse(types.isEmpty());
    }

    /**
     * The discovery configs against Home Assistant's documented schema (integrations/mqtt and the
     * binary_sensor, image, switch and button platforms): required keys and their types.
     */
    private static void checkDiscovery(Subscriber sub, String prefix, String topics, String camera) throws IOException {
        Map<String, JsonNode> configs = new LinkedHashMap<>();
        for (Subscriber.Message m : sub.all(m -> m.topic().startsWith(prefix + "/"))) {
            configs.put(m.topic(), JSON.readTree(m.payload()));
        }
        String node = "lookout_" + camera;
        assertEquals(Set.of(prefix + "/binary_sensor/" + node + "/motion/config", prefix + "/image/" + node + "/snapshot/config",
                prefix + "/switch/" + node + "/armed/config", prefix + "/button/" + node + "/snapshot/config",
                prefix + "/binary_sensor/" + node + "/problem/config"), configs.keySet());
        Set<String> ids = new java.util.HashSet<>();
        String base = topics + "/" + camera + "/";
        for (Map.Entry<String, JsonNode> entry : configs.entrySet()) {
            String[] parts = entry.getKey().split("/");
            assertTrue(ID.matcher(parts[2]).matches() && ID.matcher(parts[3]).matches(), entry.getKey());
            JsonNode c = entry.getValue();
            text(c, "unique_id");
            assertTrue(ids.add(c.get("unique_id").asText()), "unique: " + c);
            text(c, "name");
            assertEquals(base + "available", text(c, "availability_topic"));
            assertEquals("online", text(c, "payload_available"));
            assertEquals("offline", text(c, "payload_not_available"));
            JsonNode device = c.get("device");
            assertTrue(device != null && device.isObject(), c.toString());
            assertTrue(device.get("identifiers").isArray() && device.get("identifiers").get(0).isTextual(), device.toString());
            for (String field : List.of("name", "manufacturer", "model", "sw_version")) {
                text(device, field);
            }
            switch (parts[1]) {
                case "binary_sensor" -> {
                    String object = parts[3];
                    assertEquals(object, text(c, "device_class"));
                    assertEquals(base + object, text(c, "state_topic"));
                    assertEquals("ON", text(c, "payload_on"));
                    assertEquals("OFF", text(c, "payload_off"));
                }
                case "image" -> {
                    assertEquals(base + "snapshot", text(c, "image_topic"));
                    assertFalse(c.has("url_topic"), "image_topic or url_topic, never both");
                    assertEquals("image/jpeg", text(c, "content_type"));
                }
                case "switch" -> {
                    assertEquals(base + "armed/set", text(c, "command_topic"));
                    assertEquals(base + "armed", text(c, "state_topic"));
                    assertEquals("ON", text(c, "payload_on"));
                    assertEquals("OFF", text(c, "payload_off"));
                }
                case "button" -> {
                    assertEquals(base + "snapshot/set", text(c, "command_topic"));
                    text(c, "payload_press");
                }
                default -> throw new AssertionError(entry.getKey());
            }
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        assertTrue(value != null && value.isTextual() && !value.asText().isEmpty(), field + " in " + node);
        return value.asText();
    }

    private static int starts(String log) {
        return count(log, "motion started");
    }

    private static int count(String text, String regex) {
        return (int) Pattern.compile(regex).matcher(text).results().count();
    }

    private static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
