package dev.lookout.agent.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArmingTest {
    private static final String WEEKDAY_HOURS = "* * 8-17 ? * MON-FRI";
    // 2026-11-23 is a Monday
    private static final Instant MONDAY_0759 = Instant.parse("2026-11-23T07:59:59Z");
    private static final Instant MONDAY_0800 = Instant.parse("2026-11-23T08:00:00Z");
    private static final Instant MONDAY_1759 = Instant.parse("2026-11-23T17:59:59Z");
    private static final Instant MONDAY_1800 = Instant.parse("2026-11-23T18:00:00Z");
    private static final Instant SATURDAY_NOON = Instant.parse("2026-11-28T12:00:00Z");

    @Test
    void withoutWindowsAlwaysArmed() {
        Arming arming = new Arming(List.of(), ZoneOffset.UTC, SATURDAY_NOON);
        assertTrue(arming.armed());
        assertNull(arming.update(MONDAY_0800));
        assertEquals("yes", arming.describe());
        arming.hold(false);
        assertNull(arming.update(MONDAY_1800), "without windows a hold lasts");
        assertEquals("no (by the control socket)", arming.describe());
    }

    @Test
    void armedOnlyInTheWindow() {
        Arming arming = new Arming(List.of(WEEKDAY_HOURS), ZoneOffset.UTC, MONDAY_0759);
        assertFalse(arming.armed());
        assertEquals("no (outside the arming window)", arming.describe());
        assertEquals(Boolean.TRUE, arming.update(MONDAY_0800));
        assertNull(arming.update(MONDAY_1759));
        assertEquals(Boolean.FALSE, arming.update(MONDAY_1800));
        assertNull(arming.update(SATURDAY_NOON), "weekends stay disarmed");
    }

    @Test
    void aHoldLastsUntilTheWindowChanges() {
        Arming arming = new Arming(List.of(WEEKDAY_HOURS), ZoneOffset.UTC, MONDAY_0800);
        arming.hold(false);
        assertFalse(arming.armed());
        assertEquals("no (by the control socket until the window closes)", arming.describe());
        assertNull(arming.update(MONDAY_1759));
        assertNull(arming.update(MONDAY_1800), "closing leaves it disarmed, now by the window");
        assertEquals("no (outside the arming window)", arming.describe());
        arming.hold(true);
        assertTrue(arming.armed());
        assertNull(arming.update(SATURDAY_NOON));
        assertEquals("yes (by the control socket until the window opens)", arming.describe());
        assertNull(arming.update(Instant.parse("2026-11-30T08:00:00Z")), "the window opens: armed, now by the window");
        assertEquals("yes (in the arming window)", arming.describe());
        assertEquals(Boolean.FALSE, arming.update(Instant.parse("2026-11-30T18:00:00Z")));
    }

    @Test
    void windowsAreReadInTheirZone() {
        ZoneId berlin = ZoneId.of("Europe/Berlin"); // UTC+1 in November
        Arming arming = new Arming(List.of(WEEKDAY_HOURS), berlin, Instant.parse("2026-11-23T07:30:00Z"));
        assertTrue(arming.armed(), "08:30 in Berlin");
        assertEquals(Boolean.FALSE, arming.update(Instant.parse("2026-11-23T17:00:00Z")));
    }

    @Test
    void severalWindowsAreAUnion() {
        Arming arming = new Arming(List.of(WEEKDAY_HOURS, "* * * ? * SAT,SUN"), ZoneOffset.UTC, SATURDAY_NOON);
        assertTrue(arming.armed());
        assertEquals(Boolean.FALSE, arming.update(Instant.parse("2026-11-30T07:00:00Z")));
    }

    @Test
    void refusesWhatIsNoCronExpression() {
        assertThrows(IllegalArgumentException.class, () -> new Arming(List.of("weekdays"), ZoneOffset.UTC, MONDAY_0800));
    }
}
