package dev.lookout.agent.capture;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClockSyncTest {
    private static ClockSync answering(ClockSync.State... states) {
        Deque<ClockSync.State> answers = new ArrayDeque<>(List.of(states));
        return new ClockSync(() -> answers.size() > 1 ? answers.poll() : answers.peek());
    }

    @Test
    void waitsForSynchronisation() throws InterruptedException {
        ClockSync clock = answering(ClockSync.State.UNSYNCHRONISED, ClockSync.State.SYNCHRONISED);
        assertTrue(clock.await(Duration.ofSeconds(5)));
        assertFalse(clock.unsynced());
    }

    @Test
    void aClockThatStaysUnsynchronisedMarksStillsAfterTheWait() throws InterruptedException {
        ClockSync clock = answering(ClockSync.State.UNSYNCHRONISED);
        assertFalse(clock.await(Duration.ZERO));
        assertTrue(clock.unsynced());
    }

    @Test
    void whereNothingCanTellTheClockIsTrusted() throws InterruptedException {
        ClockSync clock = answering(ClockSync.State.UNKNOWN);
        assertTrue(clock.await(Duration.ZERO));
        assertFalse(clock.unsynced());
    }
}
