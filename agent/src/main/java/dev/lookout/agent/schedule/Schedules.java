package dev.lookout.agent.schedule;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Properties;
import java.util.TimeZone;
import java.util.concurrent.atomic.AtomicInteger;
import org.quartz.CronExpression;
import org.quartz.CronScheduleBuilder;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDataMap;
import org.quartz.JobExecutionContext;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;

/**
 * The agent's timed work on Quartz: an in-memory job store, two threads, an explicit time zone.
 * {@link #close()} waits for running jobs, so that no spool entry is left half-written.
 */
public final class Schedules implements AutoCloseable {
    private static final String TASK = "task";
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final Scheduler scheduler;
    private final ZoneId zone;

    public Schedules(ZoneId zone) throws SchedulerException {
        Properties properties = new Properties();
        properties.setProperty("org.quartz.scheduler.instanceName", "lookout-agent-" + INSTANCES.incrementAndGet());
        properties.setProperty("org.quartz.threadPool.threadCount", "2");
        properties.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        this.scheduler = new StdSchedulerFactory(properties).getScheduler();
        this.zone = zone;
        scheduler.start();
    }

    /** Checks a Quartz cron expression (with seconds: {@code 0 0 * * * ?} is hourly). */
    public static void checkCron(String expression) {
        if (!CronExpression.isValidExpression(expression)) {
            throw new IllegalArgumentException("'" + expression + "' is not a Quartz cron expression"
                    + " (seconds minutes hours day-of-month month day-of-week, e.g. '0 0 * * * ?' for hourly)");
        }
    }

    /**
     * Runs {@code task} whenever {@code expression} fires, in this schedule's zone, from the next
     * whole second on. (Quartz looks for a cron trigger's first time from a second before its
     * start: started now, a time already past in this second would fire at once, one too many.)
     */
    public void cron(String name, String expression, Runnable task) throws SchedulerException {
        checkCron(expression);
        java.util.Date nextSecond = java.util.Date.from(java.time.Instant.now()
                .truncatedTo(java.time.temporal.ChronoUnit.SECONDS).plusSeconds(1));
        scheduler.scheduleJob(job(name, task), TriggerBuilder.newTrigger().withIdentity(name).startAt(nextSecond)
                .withSchedule(CronScheduleBuilder.cronSchedule(expression).inTimeZone(TimeZone.getTimeZone(zone)))
                .build());
    }

    /** Runs {@code task} every {@code period}, the first time after one period. */
    public void every(String name, Duration period, Runnable task) throws SchedulerException {
        scheduler.scheduleJob(job(name, task), TriggerBuilder.newTrigger().withIdentity(name)
                .startAt(new java.util.Date(System.currentTimeMillis() + period.toMillis()))
                .withSchedule(SimpleScheduleBuilder.simpleSchedule().withIntervalInMilliseconds(period.toMillis())
                        .repeatForever().withMisfireHandlingInstructionNextWithRemainingCount())
                .build());
    }

    /** Runs {@code task} once after {@code wait}, instead of whatever was set under this name before. */
    public void after(String name, Duration wait, Runnable task) throws SchedulerException {
        scheduler.scheduleJob(job(name, task), java.util.Set.of(TriggerBuilder.newTrigger().withIdentity(name)
                .startAt(new java.util.Date(System.currentTimeMillis() + wait.toMillis())).build()), true);
    }

    private static org.quartz.JobDetail job(String name, Runnable task) {
        JobDataMap data = new JobDataMap();
        data.put(TASK, task);
        return JobBuilder.newJob(RunTask.class).withIdentity(name).usingJobData(data).build();
    }

    /** Waits for running jobs, then stops. */
    @Override
    public void close() throws SchedulerException {
        scheduler.shutdown(true);
    }

    /** Quartz's job that runs the task it was given. */
    public static final class RunTask implements Job {
        @Override
        public void execute(JobExecutionContext context) {
            ((Runnable) context.getMergedJobDataMap().get(TASK)).run();
        }
    }
}
