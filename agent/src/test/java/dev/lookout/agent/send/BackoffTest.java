package dev.lookout.agent.send;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void doublesUpToTheLongestWait() {
        Backoff top = new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(60), () -> 0.999_999);
        long[] seconds = new long[8];
        for (int i = 0; i < seconds.length; i++) {
            seconds[i] = Math.round(top.failed().toMillis() / 1000.0);
        }
        assertEquals("[2, 4, 8, 16, 32, 60, 60, 60]", java.util.Arrays.toString(seconds));
        assertEquals(8, top.failures());
    }

    @Test
    void theJitterKeepsTheUpperHalf() {
        Backoff bottom = new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(60), () -> 0);
        assertEquals(Duration.ofSeconds(1), bottom.failed());
        assertEquals(Duration.ofSeconds(2), bottom.failed());
        Random random = new Random(3);
        Backoff drawn = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8), random::nextDouble);
        java.util.Set<Long> waits = new java.util.HashSet<>();
        for (int i = 0; i < 200; i++) {
            long wait = drawn.failed().toMillis();
            long ceiling = Math.min(8000, 1000L << Math.min(i, 30));
            assertTrue(wait >= ceiling / 2 && wait <= ceiling, wait + " outside [" + ceiling / 2 + ", " + ceiling + "]");
            waits.add(wait);
        }
        assertTrue(waits.size() > 100, "the waits vary: " + waits.size() + " distinct");
    }

    @Test
    void aSuccessStartsAgain() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(300), () -> 0.999_999);
        for (int i = 0; i < 100; i++) {
            backoff.failed();
        }
        assertEquals(300, Math.round(backoff.failed().toMillis() / 1000.0), "no overflow after many failures");
        backoff.succeeded();
        assertEquals(0, backoff.failures());
        assertEquals(1, Math.round(backoff.failed().toMillis() / 1000.0));
    }

    @Test
    void refusesWaitsThatMakeNoSense() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), () -> 0));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(5), Duration.ofSeconds(1), () -> 0));
    }
}
