package dev.lookout.agent.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * {@code mosquitto_sub} as the independent client: every message on the given topics, with its
 * arrival time, topic, retained flag and payload (read as hex, so that JPEG bytes come through).
 */
public final class Subscriber implements AutoCloseable {
    /** One message as mosquitto_sub saw it. */
    public record Message(double at, String topic, boolean retained, byte[] payload) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    private final Process process;
    private final List<Message> messages = new CopyOnWriteArrayList<>();

    private Subscriber(Process process) {
        this.process = process;
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
        Rig.ownThread(() -> {
            try {
                String line;
                while ((line = out.readLine()) != null) {
                    String[] parts = line.split(" ", 4);
                    messages.add(new Message(Double.parseDouble(parts[0]), parts[1], parts[2].equals("1"),
                            parts.length < 4 ? new byte[0] : HexFormat.of().parseHex(parts[3])));
                }
            } catch (IOException e) {
                // ended
            }
        });
    }

    /**
     * Subscribes to {@code topics} at {@code port} with {@code auth} ({@code -u USER -P PASSWORD}, or
     * none); {@code session} are more mosquitto_sub options ({@code -c -i ID} for a session the broker
     * keeps). Returns once it is subscribed.
     */
    public static Subscriber start(int port, List<String> auth, List<String> topics, String... session) throws Exception {
        List<String> command = new ArrayList<>(List.of("mosquitto_sub", "-h", "127.0.0.1", "-p", String.valueOf(port), "-q",
                "1", "-F", "@s.@N %t %r %x"));
        command.addAll(auth);
        command.addAll(List.of(session));
        for (String topic : topics) {
            command.addAll(List.of("-t", topic));
        }
        command.addAll(List.of("-t", "subscriber/ready"));
        Subscriber subscriber = new Subscriber(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start());
        // a retained marker of its own: once it arrives, the subscription is in place
        List<String> pub = new ArrayList<>(List.of("mosquitto_pub", "-h", "127.0.0.1", "-p", String.valueOf(port), "-r", "-q",
                "1", "-t", "subscriber/ready", "-m", "1"));
        pub.addAll(auth);
        new ProcessBuilder(pub).start().waitFor();
        Rig.await(() -> !subscriber.all(m -> m.topic().equals("subscriber/ready")).isEmpty(), 30);
        return subscriber;
    }

    /** The messages so far that match. */
    public List<Message> all(Predicate<Message> filter) {
        return messages.stream().filter(filter).toList();
    }

    /** The messages so far on {@code topic}. */
    public List<Message> on(String topic) {
        return all(m -> m.topic().equals(topic));
    }

    /** The payloads so far on {@code topic}, as text. */
    public List<String> texts(String topic) {
        return on(topic).stream().map(Message::text).toList();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
