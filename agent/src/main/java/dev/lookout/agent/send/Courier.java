package dev.lookout.agent.send;

import dev.lookout.agent.spool.Spool;
import java.time.Duration;
import java.time.LocalTime;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running agent's deliveries, on one thread of their own. A new still is sent at once while
 * the receiver answers; once a drain fails, stills wait in the spool and the next try comes after
 * the {@link Backoff}'s wait (all that waits then goes together, in batches). {@link #now()} tries
 * at once whatever the backoff says. Each drain also takes in the spool's outbox
 * ({@link Drainer#drainWithOutbox}). While the receiver cannot be reached at all, a connection is
 * tried every {@link #PROBE_EVERY} meanwhile (opened and closed, nothing sent), and the drain comes
 * as soon as one is accepted: a receiver that comes back is noticed within seconds, not after the
 * backoff's wait.
 */
public final class Courier implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("lookout.agent");
    /** How often an unreachable receiver is probed while the next try waits. */
    public static final Duration PROBE_EVERY = Duration.ofSeconds(5);

    private final Spool spool;
    private final String camera;
    private final Backoff backoff;
    private final BiConsumer<Duration, Runnable> retry;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(task -> {
        Thread t = new Thread(task, "send");
        t.setDaemon(true);
        return t;
    });
    private final Drainer drainer;
    private final Link sender;
    private volatile String lastDelivery = "none";
    /** Why the last drain kept stills and when the next try comes; {@code null} while the receiver answers. */
    private volatile Failure failure;

    private record Failure(String problem, LocalTime nextTry, long dueNanos, boolean unreachable) {
    }

    /**
     * @param camera the name of JPEGs taken from the outbox
     * @param retry schedules a task after a wait (the agent's Quartz schedules)
     */
    public Courier(Spool spool, String camera, Link sender, int batch, Backoff backoff,
                   BiConsumer<Duration, Runnable> retry) {
        this.spool = spool;
        this.camera = camera;
        this.backoff = backoff;
        this.retry = retry;
        this.sender = sender;
        this.drainer = new Drainer(spool, sender, batch, (entry, path, millis) -> {
            LOG.info("still sent: {} ({} KB, {} ms)", path, entry.header().length() / 1024, millis);
            lastDelivery = path + " at " + LocalTime.now().withNano(0);
        });
    }

    /** A still was spooled: sent at once, unless the receiver is failing and a retry is already set. */
    public void stillSpooled() {
        if (failure == null) {
            thread.execute(this::drain);
        }
    }

    /** Tries at once. */
    public void now() {
        thread.execute(this::drain);
    }

    private void drain() {
        String problem;
        boolean unreachable = false;
        try {
            Drainer.Result result = drainer.drainWithOutbox(camera);
            problem = result.problem();
            unreachable = result.unreachable();
        } catch (Exception e) {
            problem = "sending failed: " + e;
        }
        Failure before = failure;
        if (problem == null) {
            if (before != null) {
                LOG.info("the receiver takes stills again ({} tries failed before)", backoff.failures());
            }
            backoff.succeeded();
            failure = null;
            return;
        }
        Duration wait = backoff.failed();
        if (before == null || !problem.equals(before.problem())) {
            LOG.warn("not delivered now, kept in the spool: {}", problem);
        }
        LOG.info("next try in {} s", Math.max(1, wait.toSeconds()));
        failure = new Failure(problem, LocalTime.now().plus(wait).withNano(0), System.nanoTime() + wait.toNanos(),
                unreachable);
        awaitNextTry();
    }

    /** Sets the next try: when it is due, or, while the receiver is unreachable, the next probe. */
    private void awaitNextTry() {
        Failure now = failure;
        if (now == null) {
            return;
        }
        long left = now.dueNanos() - System.nanoTime();
        if (left <= 0) {
            thread.execute(this::drain);
        } else if (now.unreachable() && left > PROBE_EVERY.toNanos()) {
            retry.accept(PROBE_EVERY, () -> thread.execute(this::probe));
        } else {
            retry.accept(Duration.ofNanos(left), this::now);
        }
    }

    /** On the sending thread: drains when the receiver accepts a connection again, else waits on. */
    private void probe() {
        Failure now = failure;
        if (now == null) {
            return;
        }
        if (sender.accepts(PROBE_EVERY)) {
            LOG.info("the receiver accepts connections again: sending");
            drain();
        } else {
            awaitNextTry();
        }
    }

    public String lastDelivery() {
        return lastDelivery;
    }

    /** The last failure and when the next try comes, or "none". */
    public String lastProblem() {
        Failure now = failure;
        return now == null ? "none" : now.problem() + " (next try at " + now.nextTry() + ")";
    }

    /** Lets a running drain end, for a few seconds at most, and takes no more. */
    @Override
    public void close() throws InterruptedException {
        thread.shutdown();
        thread.awaitTermination(10, TimeUnit.SECONDS);
    }
}
