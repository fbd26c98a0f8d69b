package dev.lookout.agent.send;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * How long to wait before the next try after failed sends: {@code first}, doubling with every
 * further failure up to {@code max}, each wait drawn at random from its upper half ("equal
 * jitter") so that agents that lost the same receiver do not all come back in the same second.
 * A success starts again from {@code first}. Not thread-safe: the agent's one sending thread owns it.
 */
public final class Backoff {
    private final Duration first;
    private final Duration max;
    private final DoubleSupplier random;
    private int failures;

    /** @param random values in [0, 1) */
    public Backoff(Duration first, Duration max, DoubleSupplier random) {
        if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
            throw new IllegalArgumentException("the first wait must be positive and at most the longest (" + first.toSeconds()
                    + " s, " + max.toSeconds() + " s)");
        }
        this.first = first;
        this.max = max;
        this.random = random;
    }

    /** Counts a failure and returns the wait before the next try. */
    public Duration failed() {
        long ceiling = first.toMillis() << Math.min(failures, 30);
        long wait = Math.min(max.toMillis(), ceiling < 0 ? Long.MAX_VALUE : ceiling);
        failures++;
        return Duration.ofMillis(wait / 2 + (long) (random.getAsDouble() * (wait - wait / 2)));
    }

    public void succeeded() {
        failures = 0;
    }

    /** Failures since the last success. */
    public int failures() {
        return failures;
    }
}
