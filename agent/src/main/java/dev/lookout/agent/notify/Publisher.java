package dev.lookout.agent.notify;

import dev.lookout.agent.send.Backoff;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;
import javax.net.ssl.SSLException;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection to the broker, on a thread of its own. Two kinds of messages wait for it:
 * retained <em>states</em> (a topic's current value: availability, motion, armed, problem, the
 * latest still, discovery), of which only the newest per topic is kept, and which all go out again
 * after every (re)connection; and <em>events</em>, each published once, in order, at QoS 1, at most
 * {@value #MAX_EVENTS} waiting (beyond that the oldest are dropped, and counted in the log). A
 * message leaves its queue only when the broker has acknowledged it. While the broker is away, it
 * tries again with a backoff from 1 s to 60 s, logs one warning per outage and one line when it is
 * back. Callers never wait: they only queue.
 */
final class Publisher {
    /** Events (JSON per event change) kept while the broker is away. */
    static final int MAX_EVENTS = 1000;
    private static final Logger LOG = LoggerFactory.getLogger("lookout.mqtt");
    private static final int QOS = 1;
    private static final int WAIT_MILLIS = 10_000;
    /** How long a stop waits for the thread to disconnect, after what waits was sent. */
    private static final int STOP_MILLIS = 2_000;

    private final Broker broker;
    private final String clientId;
    private final String willTopic;
    private final Map<String, byte[]> states = new LinkedHashMap<>();
    private final Set<String> unsent = new LinkedHashSet<>();
    private final Deque<Message> events = new ArrayDeque<>();
    private final Map<String, BiConsumer<String, byte[]>> subscriptions = new LinkedHashMap<>();
    private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60),
            () -> ThreadLocalRandom.current().nextDouble());
    private final Thread thread;
    private MqttClient client;
    private boolean running = true;
    private int dropped;
    /** Why the broker is away, or {@code null} while connected (or before the first try). */
    private String outage;
    private boolean connected;
    /** When to try connecting again. */
    private long retryAt;

    private record Message(String topic, byte[] payload, boolean retained) {
    }

    /** @param willTopic where the broker says {@code offline} when the connection dies */
    Publisher(Broker broker, String clientId, String willTopic) {
        this.broker = broker;
        this.clientId = clientId;
        this.willTopic = willTopic;
        this.thread = new Thread(this::run, "mqtt");
        thread.setDaemon(true);
    }

    /** Subscribes to {@code topic} on every connection; {@code handler} runs on the client's thread. */
    synchronized void subscribe(String topic, BiConsumer<String, byte[]> handler) {
        subscriptions.put(topic, handler);
    }

    void start() {
        thread.start();
    }

    /** Sets a retained topic's value (sent now, and again after each reconnection); unchanged values are not sent again. */
    synchronized void state(String topic, byte[] payload) {
        byte[] old = states.put(topic, payload);
        if (old == null || !java.util.Arrays.equals(old, payload)) {
            unsent.add(topic);
            notifyAll();
        }
    }

    /** Sends retained topics again (Home Assistant restarted). */
    synchronized void resend(Iterable<String> topics) {
        for (String topic : topics) {
            if (states.containsKey(topic)) {
                unsent.add(topic);
            }
        }
        notifyAll();
    }

    /** Queues an event message, not retained. */
    synchronized void event(String topic, byte[] payload) {
        if (events.size() == MAX_EVENTS) {
            events.removeFirst();
            if (dropped++ == 0) {
                LOG.warn("MQTT: {} events wait for the broker; the oldest are dropped", MAX_EVENTS);
            }
        }
        events.addLast(new Message(topic, payload, false));
        notifyAll();
    }

    /** The connection, for the status. */
    synchronized String status() {
        return broker.shown() + ": " + (connected ? "connected" : outage != null ? "away (" + outage + "), "
                + (unsent.size() + events.size()) + " messages waiting" : "connecting");
    }

    /**
     * Sends what waits (the last states, availability {@code offline} among them) for up to
     * {@code wait}, then disconnects and stops.
     */
    void close(Duration wait) {
        long end = System.nanoTime() + wait.toNanos();
        synchronized (this) {
            while (connected && !(unsent.isEmpty() && events.isEmpty()) && System.nanoTime() < end) {
                try {
                    wait(Math.max(1, (end - System.nanoTime()) / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            running = false;
            notifyAll();
        }
        try {
            thread.join(STOP_MILLIS); // a daemon: one stuck connecting to a silent host ends with the JVM
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        while (true) {
            Message next;
            synchronized (this) {
                while (running && (connected ? unsent.isEmpty() && events.isEmpty() : System.nanoTime() < retryAt)) {
                    try {
                        long left = connected ? 0 : Math.max(1, (retryAt - System.nanoTime()) / 1_000_000);
                        wait(left);
                    } catch (InterruptedException e) {
                        running = false;
                    }
                }
                if (!running) {
                    break;
                }
                next = connected ? next() : null;
            }
            try {
                if (next == null) {
                    connect();
                } else {
                    send(next);
                }
            } catch (MqttException | IOException | GeneralSecurityException e) {
                down(e, null);
                disconnect();
            }
        }
        disconnect();
    }

    /** The next message: states first (the current picture), then events in order. */
    private Message next() {
        if (!unsent.isEmpty()) {
            String topic = unsent.iterator().next();
            return new Message(topic, states.get(topic), true);
        }
        return events.peekFirst();
    }

    private void connect() throws MqttException, IOException, GeneralSecurityException {
        disconnect();
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        options.setAutomaticReconnect(false);
        options.setKeepAliveInterval(30);
        // one message at a time is in flight, but Paho frees its slot a little after the acknowledgement:
        // with its default of 10, a fast drain of a backlog was refused ("too many publishes in progress")
        options.setMaxInflight(MAX_EVENTS);
        options.setConnectionTimeout(WAIT_MILLIS / 1000);
        options.setHttpsHostnameVerificationEnabled(true);
        options.setSocketFactory(broker.socketFactory());
        if (broker.user() != null) {
            options.setUserName(broker.user());
        }
        if (broker.password() != null) {
            options.setPassword(broker.password());
        }
        options.setWill(willTopic, MqttNotifier.OFFLINE, QOS, true);
        MqttClient fresh = new MqttClient(broker.serverUri(), clientId, new MemoryPersistence());
        fresh.setTimeToWait(WAIT_MILLIS);
        fresh.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                down(cause instanceof Exception e ? e : new IOException(cause), fresh);
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                handle(topic, message.getPayload());
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
                // publishing waits for its acknowledgement
            }
        });
        synchronized (this) {
            client = fresh;
        }
        fresh.connect(options);
        Map<String, BiConsumer<String, byte[]>> wanted;
        synchronized (this) {
            wanted = Map.copyOf(subscriptions);
        }
        for (String topic : wanted.keySet()) {
            try {
                fresh.subscribe(topic, QOS);
            } catch (MqttException e) {
                if (!fresh.isConnected()) {
                    throw e;
                }
                LOG.error("MQTT: the broker refused the subscription to {}: {}", topic, e.getMessage());
            }
        }
        synchronized (this) {
            connected = true;
            unsent.addAll(states.keySet());
            backoff.succeeded();
            if (outage != null) {
                LOG.info("MQTT: broker {} is back ({} messages to send{})", broker.shown(), unsent.size() + events.size(),
                        dropped == 0 ? "" : ", " + dropped + " older events dropped");
            } else {
                LOG.info("MQTT: connected to {}", broker.shown());
            }
            outage = null;
            dropped = 0;
            notifyAll();
        }
    }

    private void handle(String topic, byte[] payload) {
        BiConsumer<String, byte[]> handler;
        synchronized (this) {
            handler = subscriptions.get(topic);
        }
        if (handler != null) {
            handler.accept(topic, payload);
        }
    }

    private void send(Message message) throws MqttException {
        MqttClient current;
        synchronized (this) {
            current = client;
        }
        current.publish(message.topic(), message.payload(), QOS, message.retained());
        synchronized (this) {
            if (message.retained()) {
                if (states.get(message.topic()) == message.payload()) {
                    unsent.remove(message.topic());
                }
            } else if (events.peekFirst() == message) {
                events.removeFirst();
            }
            notifyAll();
        }
    }

    /**
     * The connection failed or was lost ({@code of} the lost client, {@code null} for this thread's
     * own failure): logs it once per outage and sets the next try after the backoff.
     */
    private synchronized void down(Exception e, MqttClient of) {
        if (of != null && of != client) {
            return; // a client already replaced
        }
        String why = why(e);
        boolean first = outage == null;
        connected = false;
        outage = why;
        retryAt = System.nanoTime() + backoff.failed().toNanos();
        if (first && refusal(e)) {
            LOG.error("MQTT: broker {} refused the connection: {}; trying again with a backoff up to 60 s", broker.shown(), why);
        } else if (first) {
            LOG.warn("MQTT: broker {} away ({}); messages wait, trying again with a backoff up to 60 s", broker.shown(), why);
        }
        notifyAll();
    }

    /** A failure the user must fix (credentials, certificate), not a broker that is away. */
    private static boolean refusal(Exception e) {
        if (e instanceof MqttException m) {
            int code = m.getReasonCode();
            return code == MqttException.REASON_CODE_FAILED_AUTHENTICATION || code == MqttException.REASON_CODE_NOT_AUTHORIZED
                    || code == MqttException.REASON_CODE_INVALID_CLIENT_ID || m.getCause() instanceof SSLException;
        }
        return e instanceof GeneralSecurityException;
    }

    private static String why(Exception e) {
        if (e instanceof MqttException m) {
            return switch (m.getReasonCode()) {
                case MqttException.REASON_CODE_FAILED_AUTHENTICATION, MqttException.REASON_CODE_NOT_AUTHORIZED ->
                        "user name or password not accepted";
                default -> m.getCause() != null ? m.getCause().getClass().getSimpleName() + ": " + m.getCause().getMessage()
                        : m.getMessage();
            };
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private void disconnect() {
        MqttClient old;
        synchronized (this) {
            old = client;
            client = null;
        }
        if (old == null) {
            return;
        }
        try {
            if (old.isConnected()) {
                old.disconnect(1000);
            }
        } catch (MqttException e) {
            LOG.debug("MQTT: disconnecting: {}", e.toString());
        }
        try {
            old.close(true);
        } catch (MqttException e) {
            LOG.debug("MQTT: closing: {}", e.toString());
        }
    }
}
