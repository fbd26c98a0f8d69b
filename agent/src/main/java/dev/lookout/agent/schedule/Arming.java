package dev.lookout.agent.schedule;

import java.text.ParseException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.TimeZone;
import org.quartz.CronExpression;

/**
 * Whether detection is on. Arming windows are Quartz cron expressions read as sets of seconds:
 * the agent is armed in every second an expression matches ({@code * * 8-17 ? * MON-FRI} is
 * weekdays 08:00 to 17:59:59); without windows it is always armed. {@code arm} and {@code disarm}
 * override the windows until the next time a window opens or closes, when the windows take over
 * again (a thermostat's "hold"); without windows they hold until the next command.
 * Thread-safe.
 */
public final class Arming {
    private final List<CronExpression> windows = new ArrayList<>();
    private Boolean override;
    private boolean inWindow;

    /** @param expressions the windows, none for always armed */
    public Arming(List<String> expressions, ZoneId zone, Instant now) {
        for (String expression : expressions) {
            Schedules.checkCron(expression);
            try {
                CronExpression cron = new CronExpression(expression);
                cron.setTimeZone(TimeZone.getTimeZone(zone));
                windows.add(cron);
            } catch (ParseException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }
        this.inWindow = windowOpen(now);
    }

    /** What changed at {@code now}: the new state, or {@code null} when it is the same as before. */
    public synchronized Boolean update(Instant now) {
        boolean before = armed();
        boolean open = windowOpen(now);
        if (open != inWindow) {
            inWindow = open;
            override = null;
        }
        return armed() == before ? null : armed();
    }

    public synchronized boolean armed() {
        return override != null ? override : inWindow;
    }

    /** Arms or disarms until the windows next change. */
    public synchronized void hold(boolean armed) {
        override = armed;
    }

    /** Why the state is what it is, for {@code status}. */
    public synchronized String describe() {
        String state = armed() ? "yes" : "no";
        if (override != null) {
            return state + (windows.isEmpty() ? " (by the control socket)" : " (by the control socket until the window "
                    + (inWindow ? "closes" : "opens") + ")");
        }
        return windows.isEmpty() ? state : state + (inWindow ? " (in the arming window)" : " (outside the arming window)");
    }

    public boolean hasWindows() {
        return !windows.isEmpty();
    }

    private boolean windowOpen(Instant now) {
        if (windows.isEmpty()) {
            return true;
        }
        Date second = Date.from(now);
        return windows.stream().anyMatch(cron -> cron.isSatisfiedBy(second));
    }
}
