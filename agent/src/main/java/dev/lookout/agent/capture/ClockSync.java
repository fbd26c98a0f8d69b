package dev.lookout.agent.capture;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether capture times can be trusted. A Raspberry Pi has no real-time clock: after boot, until
 * NTP has set it, its clock can be days off. systemd-timesyncd marks a synchronised clock with
 * {@code /run/systemd/timesync/synchronized}; {@code timedatectl} answers for chrony and others.
 * Where neither can tell (no systemd), the clock is trusted. Stills taken while it is not trusted
 * carry the protocol's {@code CLOCK_UNSYNCED} flag, and the receiver files them by arrival time.
 */
public final class ClockSync {
    /** What a probe found. */
    public enum State { SYNCHRONISED, UNSYNCHRONISED, UNKNOWN }

    private static final Logger LOG = LoggerFactory.getLogger("lookout.agent");
    private static final long RECHECK_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final Supplier<State> probe;
    private boolean trusted;
    private long checkedAt;

    public ClockSync(Supplier<State> probe) {
        this.probe = probe;
    }

    /** The system's clock, asked of systemd. */
    public static ClockSync system() {
        return new ClockSync(ClockSync::askSystemd);
    }

    private static State askSystemd() {
        if (Files.exists(Path.of("/run/systemd/timesync/synchronized"))) {
            return State.SYNCHRONISED;
        }
        try {
            Process p = new ProcessBuilder("timedatectl", "show", "-p", "NTPSynchronized", "--value")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String answer = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return State.UNKNOWN;
            }
            return answer.equals("yes") ? State.SYNCHRONISED : answer.equals("no") ? State.UNSYNCHRONISED : State.UNKNOWN;
        } catch (IOException e) {
            return State.UNKNOWN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return State.UNKNOWN;
        }
    }

    /**
     * Waits up to {@code max} for the clock to be trusted, asking every second, and says so when it
     * waits; returns whether it is.
     */
    public boolean await(Duration max) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        if (check() || max.isZero()) {
            return trusted;
        }
        LOG.info("waiting for the clock to be synchronised (NTP), {} s at most (--clock-wait)", max.toSeconds());
        while (!check() && System.nanoTime() < end) {
            TimeUnit.SECONDS.sleep(1);
        }
        if (trusted) {
            LOG.info("the clock is synchronised");
        }
        return trusted;
    }

    /** Whether stills taken now must be marked: the clock is not trusted (asked again at most once a minute). */
    public synchronized boolean unsynced() {
        if (System.nanoTime() - checkedAt > RECHECK_NANOS) {
            check();
        }
        return !trusted;
    }

    private synchronized boolean check() {
        trusted = probe.get() != State.UNSYNCHRONISED;
        checkedAt = System.nanoTime();
        return trusted;
    }
}
