package dev.lookout.agent.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.ZoneOffset;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class SchedulesTest {
    @Test
    void aSecondsCronFiresRepeatedly() throws Exception {
        CountDownLatch fired = new CountDownLatch(2);
        try (Schedules schedules = new Schedules(ZoneOffset.UTC)) {
            schedules.cron("snapshot", "* * * * * ?", fired::countDown);
            assertTrue(fired.await(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void aPeriodicTaskFires() throws Exception {
        CountDownLatch fired = new CountDownLatch(3);
        try (Schedules schedules = new Schedules(ZoneOffset.UTC)) {
            schedules.every("retry", Duration.ofMillis(200), fired::countDown);
            assertTrue(fired.await(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void aOneOffTaskReplacesTheOneSetBefore() throws Exception {
        AtomicBoolean first = new AtomicBoolean();
        CountDownLatch second = new CountDownLatch(1);
        try (Schedules schedules = new Schedules(ZoneOffset.UTC)) {
            schedules.after("retry", Duration.ofMillis(300), () -> first.set(true));
            schedules.after("retry", Duration.ofMillis(600), second::countDown);
            assertTrue(second.await(10, TimeUnit.SECONDS));
        }
        assertTrue(!first.get(), "the replaced task never ran");
    }

    @Test
    void closingWaitsForARunningJob() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean finished = new AtomicBoolean();
        Schedules schedules = new Schedules(ZoneOffset.UTC);
        schedules.every("slow", Duration.ofMillis(100), () -> {
            started.countDown();
            try {
                TimeUnit.MILLISECONDS.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            finished.set(true);
        });
        assertTrue(started.await(10, TimeUnit.SECONDS));
        schedules.close();
        assertTrue(finished.get(), "close returned while the job still ran");
    }

    @Test
    void refusesWhatIsNoCronExpression() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Schedules.checkCron("every hour"));
        assertEquals("'every hour' is not a Quartz cron expression (seconds minutes hours day-of-month month"
                + " day-of-week, e.g. '0 0 * * * ?' for hourly)", e.getMessage());
    }
}
