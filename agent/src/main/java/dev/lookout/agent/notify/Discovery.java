package dev.lookout.agent.notify;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Home Assistant's MQTT discovery for one camera: one device with five entities, a motion
 * {@code binary_sensor}, an {@code image} of the latest still, a {@code switch} for arming, a
 * {@code button} for a snapshot and a problem {@code binary_sensor}, each with a {@code unique_id} and
 * the camera's availability topic. Field names as Home Assistant's MQTT documentation gives them.
 */
final class Discovery {
    private final String prefix;
    private final String node;
    private final String topics;
    private final Map<String, Object> device;
    private final Map<String, String> configs = new LinkedHashMap<>();

    /**
     * @param prefix the discovery prefix ({@code homeassistant})
     * @param topics the camera's topic prefix ({@code lookout})
     */
    Discovery(String prefix, String topics, String camera, String version) {
        this.prefix = prefix;
        this.node = "lookout_" + camera.replace('.', '_');
        this.topics = topics + "/" + camera + "/";
        this.device = map("identifiers", List.of(node), "name", camera, "manufacturer", "Lookout",
                "model", "Lookout agent", "sw_version", version);
        add("binary_sensor", "motion", map("name", "Motion", "device_class", "motion", "state_topic", this.topics + "motion",
                "payload_on", "ON", "payload_off", "OFF"));
        add("image", "snapshot", map("name", "Latest still", "image_topic", this.topics + "snapshot",
                "content_type", "image/jpeg"));
        add("switch", "armed", map("name", "Armed", "icon", "mdi:shield-home", "command_topic", this.topics + "armed/set",
                "state_topic", this.topics + "armed", "payload_on", "ON", "payload_off", "OFF"));
        add("button", "snapshot", map("name", "Snapshot", "icon", "mdi:camera", "command_topic", this.topics + "snapshot/set",
                "payload_press", "PRESS"));
        add("binary_sensor", "problem", map("name", "Camera problem", "device_class", "problem",
                "state_topic", this.topics + "problem", "payload_on", "ON", "payload_off", "OFF"));
    }

    /** Where Home Assistant says {@code online} when it starts. */
    String statusTopic() {
        return prefix + "/status";
    }

    /** Each entity's config topic and JSON. */
    Map<String, String> configs() {
        return configs;
    }

    private void add(String component, String object, Map<String, Object> fields) {
        Map<String, Object> config = new LinkedHashMap<>(fields);
        config.put("unique_id", node + "_" + component + "_" + object);
        config.put("availability_topic", topics + "available");
        config.put("payload_available", "online");
        config.put("payload_not_available", "offline");
        config.put("device", device);
        configs.put(prefix + "/" + component + "/" + node + "/" + object + "/config", json(config));
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    /** Strings, lists of strings and maps of them as JSON. */
    private static String json(Object value) {
        if (value instanceof Map<?, ?> map) {
            return map.entrySet().stream().map(e -> json(e.getKey()) + ":" + json(e.getValue()))
                    .collect(Collectors.joining(",", "{", "}"));
        }
        if (value instanceof List<?> list) {
            return list.stream().map(Discovery::json).collect(Collectors.joining(",", "[", "]"));
        }
        String text = String.valueOf(value);
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
