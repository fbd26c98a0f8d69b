package dev.lookout.agent.capture;

import com.github.sarxos.webcam.WebcamDevice;
import com.github.sarxos.webcam.WebcamException;
import java.awt.Dimension;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A webcam-capture device over a {@link FrameStream}: a reader thread drains the stream as fast as
 * it delivers (or, for generated and file sources, at their frame rate) and keeps only the newest
 * frame, stamped with the clock, so {@link #getImage()} never returns a stale one. A stream that
 * ends or fails is opened again — at once for a file that ended (it loops), else after a backoff
 * of 1, 2, 4 … 30 s — and an outage is logged once, with its end. A watchdog closes a stream that
 * has given no frame for the stall timeout (a camera gone silent, a stalled ffmpeg): the source is
 * then lost and reopened alike. {@link #listen} hears of losses and returns; {@link #latestFrame()}
 * never gives a frame older than the stall timeout nor one from before a loss. {@link #generation()} counts the
 * openings, so that a consumer can re-baseline after a reconnect instead of seeing motion.
 * {@link #getImage()} — what webcam-capture's {@code Webcam} and its motion detector see — is the
 * newest frame's small grey picture for detection where the source made one; {@link #awaitFrame}
 * lets a consumer take each new frame as it comes. {@link #close()} closes the stream at once (its
 * ffmpeg ends), even when the reader is blocked on a camera that sends nothing.
 */
public final class StreamDevice implements WebcamDevice, WebcamDevice.FPSSource {
    private static final Logger LOG = LoggerFactory.getLogger(StreamDevice.class);

    private final String name;
    private final Dimension size;
    private static final long MAX_BACKOFF_MILLIS = 30_000;

    private final double fps;
    private final boolean paced;
    private final long stallNanos;
    private final List<CameraListener> listeners = new CopyOnWriteArrayList<>();
    /** When the open stream last made progress (opened, or gave a frame), {@link System#nanoTime()}. */
    private volatile long progress;
    private volatile Thread watchdog;
    private final Supplier<FrameStream> opener;
    private volatile Frame latest;
    private volatile Frame served;
    private volatile FrameStream stream;
    private volatile Thread reader;
    private volatile int generation;
    /** Why the stream is down, or {@code null} while it delivers. */
    private volatile String outage;

    /**
     * @param paced  play the stream at {@code fps} (generated and file sources) instead of as fast as it comes
     * @param stall  how long an open stream may give no frame before it is closed and the source is lost
     * @param opener opens the stream anew: on {@link #open()} and whenever it ends
     */
    public StreamDevice(String name, Dimension size, double fps, boolean paced, Duration stall,
                        Supplier<FrameStream> opener) {
        this.name = name;
        this.size = size;
        this.fps = fps;
        this.paced = paced;
        this.stallNanos = stall.toNanos();
        this.opener = opener;
    }

    /** Tells {@code listener} from now on when the source is lost and when it is back. */
    public void listen(CameraListener listener) {
        listeners.add(listener);
    }

    /** How many times the stream has been opened and has delivered a frame. */
    public int generation() {
        return generation;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public Dimension[] getResolutions() {
        return new Dimension[] {size};
    }

    @Override
    public Dimension getResolution() {
        return size;
    }

    @Override
    public void setResolution(Dimension requested) {
        if (!size.equals(requested)) {
            throw new WebcamException("source " + name + " delivers " + size.width + "x" + size.height + " only");
        }
    }

    /** How the source does, for a status: "ok", "no frame yet", or "lost: WHY (retrying)". */
    public String health() {
        String down = outage;
        return down != null ? "lost: " + down + " (retrying)" : latest == null ? "no frame yet" : "ok";
    }

    /**
     * The newest frame, or {@code null} before the first one arrived, while the source is lost, and
     * when the newest is older than the stall timeout: never a stale picture.
     */
    public Frame latestFrame() {
        Frame frame = latest;
        boolean fresh = frame != null && outage == null
                && TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis() - frame.captureMillis()) < stallNanos;
        return fresh ? frame : null;
    }

    /**
     * The newest frame once it is not {@code after} (by identity), waiting at most {@code millis};
     * {@code null} if none came.
     */
    public Frame awaitFrame(Frame after, long millis) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        synchronized (this) {
            Frame frame;
            while ((frame = latest) == null || frame == after) {
                long left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
                if (left <= 0) {
                    return null;
                }
                wait(left);
            }
            return frame;
        }
    }

    /** The newest frame's picture for detection (its small grey one, where the source made one). */
    @Override
    public BufferedImage getImage() {
        Frame frame = latest;
        served = frame;
        return frame == null ? null : frame.detectionImage();
    }

    /** The frame whose picture {@link #getImage()} last gave. */
    public Frame servedFrame() {
        return served;
    }

    private synchronized void publish(Frame frame) {
        latest = frame;
        progress = System.nanoTime();
        notifyAll();
    }

    @Override
    public synchronized void open() {
        if (reader != null) {
            return;
        }
        reader = new Thread(this::read, "capture-" + name);
        reader.setDaemon(true);
        watchdog = new Thread(this::watch, "watchdog-" + name);
        watchdog.setDaemon(true);
        reader.start();
        watchdog.start();
    }

    /** Marks the source lost, once per outage: logged, and listeners told. */
    private void lose(String why, String logged, Object... arguments) {
        synchronized (listeners) {
            if (outage != null) {
                return;
            }
            outage = why;
        }
        LOG.warn(logged, arguments);
        listeners.forEach(listener -> listener.cameraLost(why));
    }

    /** Marks the source back after an outage: logged, and listeners told. */
    private void back() {
        synchronized (listeners) {
            if (outage == null) {
                return;
            }
            outage = null;
        }
        LOG.info("source {} is back", name);
        listeners.forEach(CameraListener::cameraBack);
    }

    /** Closes the open stream when it has given no frame for the stall timeout; the reader then reopens it. */
    private void watch() {
        while (watchdog == Thread.currentThread()) {
            long quiet = System.nanoTime() - progress;
            FrameStream open = stream;
            if (open != null && quiet >= stallNanos) {
                long seconds = TimeUnit.NANOSECONDS.toSeconds(stallNanos);
                lose("no frame for " + seconds + " s", "source {} gave no frame for {} s; restarting capture", name, seconds);
                progress = System.nanoTime();
                closeQuietly(open);
                quiet = 0;
            }
            try {
                TimeUnit.NANOSECONDS.sleep(Math.max(TimeUnit.MILLISECONDS.toNanos(10),
                        Math.min(stallNanos - quiet, TimeUnit.SECONDS.toNanos(1))));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void read() {
        long period = Math.round(1000 / fps);
        long backoff = 1000;
        while (reader == Thread.currentThread()) {
            boolean delivered = false;
            String failure = "the stream ended";
            try (FrameStream opened = opener.get()) {
                progress = System.nanoTime();
                stream = opened;
                if (reader != Thread.currentThread()) {
                    return; // closed while opening
                }
                Frame frame;
                while (reader == Thread.currentThread() && (frame = opened.next()) != null) {
                    if (!delivered) {
                        delivered = true;
                        generation++;
                        back();
                    }
                    publish(frame.at(System.currentTimeMillis()));
                    if (paced) {
                        TimeUnit.MILLISECONDS.sleep(period);
                    }
                }
            } catch (IOException | RuntimeException e) {
                failure = Sources.shown(String.valueOf((e instanceof UncheckedIOException unchecked ? unchecked.getCause() : e).getMessage()));
            } catch (InterruptedException e) {
                return;
            } finally {
                stream = null;
            }
            if (reader != Thread.currentThread()) {
                return;
            }
            if (paced && delivered) {
                continue;
            }
            if (delivered) {
                backoff = 1000;
            }
            lose(failure, "source {} lost: {}; retrying", name, failure);
            try {
                TimeUnit.MILLISECONDS.sleep(backoff);
            } catch (InterruptedException e) {
                return;
            }
            backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
        }
    }

    @Override
    public void close() {
        Thread running;
        Thread watching;
        synchronized (this) {
            running = reader;
            watching = watchdog;
            reader = null;
            watchdog = null;
            latest = null;
        }
        if (running != null) {
            running.interrupt();
            watching.interrupt();
        }
        FrameStream open = stream;
        if (open != null) {
            closeQuietly(open);
        }
    }

    private void closeQuietly(FrameStream open) {
        try {
            open.close();
        } catch (IOException e) {
            LOG.debug("closing {}: {}", name, e.toString());
        }
    }

    @Override
    public void dispose() {
        close();
    }

    @Override
    public boolean isOpen() {
        return reader != null;
    }

    @Override
    public double getFPS() {
        return fps;
    }
}
