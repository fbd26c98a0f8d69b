package dev.lookout.agent.detect;

/**
 * Turns per-frame motion into events: an event starts after {@code minFrames} consecutive frames
 * with motion and ends once there has been none for {@code gapMillis}. Events are numbered from 1.
 */
public final class EventTracker {
    private final int minFrames;
    private final long gapMillis;
    private int run;
    private long lastMotion;
    private int current;
    private int count;

    public EventTracker(int minFrames, long gapMillis) {
        this.minFrames = minFrames;
        this.gapMillis = gapMillis;
    }

    /** Feeds one frame; returns the event it belongs to, or 0 outside any event. */
    public int update(boolean motion, long captureMillis) {
        if (motion) {
            run++;
            lastMotion = captureMillis;
            if (current == 0 && run >= minFrames) {
                current = ++count;
            }
        } else {
            run = 0;
            if (current != 0 && captureMillis - lastMotion >= gapMillis) {
                current = 0;
            }
        }
        return current;
    }

    /** Ends the current event now (detection paused). */
    public void end() {
        current = 0;
        run = 0;
    }

    /** How many events have started. */
    public int events() {
        return count;
    }
}
