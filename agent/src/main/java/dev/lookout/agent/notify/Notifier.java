package dev.lookout.agent.notify;

import java.util.function.UnaryOperator;

/**
 * Tells the house what the camera does (MQTT for Home Assistant, when a broker is named). Every
 * method returns at once: whatever it publishes goes out on its own thread, so capture, detection
 * and delivery never wait for it. {@link #NONE} tells no one.
 */
public interface Notifier extends AutoCloseable {
    /** Tells no one. */
    Notifier NONE = new Notifier() {
    };

    /**
     * Starts telling; commands from the house ({@code arm}, {@code disarm}, {@code snapshot}) go to
     * {@code control}, which answers them as the control socket does.
     */
    default void start(UnaryOperator<String> control) {
    }

    /**
     * A frame was judged (or a still chosen) as part of event {@code eventId}, 0 for none: an event
     * that starts is told at once, before its still is encoded or sent; one that ends, too.
     */
    default void observe(int eventId, double changedPercent, long captureMillis) {
    }

    /** A still was spooled: {@code jpeg} is the bytes sent to the receiver; {@code eventId} 0 for a snapshot. */
    default void still(int eventId, byte[] jpeg) {
    }

    /** Whether detection is armed. */
    default void armed(boolean armed) {
    }

    /** Whether the camera source is lost (unplugged, a dead stream) or back. */
    default void problem(boolean lost) {
    }

    /** One line for {@code ctl status}, or {@code null} when it tells no one. */
    default String status() {
        return null;
    }

    /** Says goodbye (offline) and stops; waits a few seconds at most. */
    @Override
    default void close() {
    }
}
