package dev.lookout.agent.capture;

import com.github.sarxos.webcam.WebcamDevice;
import com.github.sarxos.webcam.WebcamException;
import java.awt.Dimension;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A webcam-capture device over a {@link FrameStream}: a reader thread drains the stream at the
 * source's own pace and keeps only the newest frame, so {@link #getImage()} never returns a stale
 * one. A stream that ends or fails is opened again (the file sources loop this way).
 */
public final class StreamDevice implements WebcamDevice, WebcamDevice.FPSSource {
    private static final Logger LOG = LoggerFactory.getLogger(StreamDevice.class);

    private final String name;
    private final Dimension size;
    private final double fps;
    private final Supplier<FrameStream> opener;
    private volatile Frame latest;
    private volatile Thread reader;

    /** @param opener opens the stream anew: on {@link #open()} and whenever it ends */
    public StreamDevice(String name, Dimension size, double fps, Supplier<FrameStream> opener) {
        this.name = name;
        this.size = size;
        this.fps = fps;
        this.opener = opener;
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

    /** The newest frame, or {@code null} before the first one arrived. */
    public Frame latestFrame() {
        return latest;
    }

    @Override
    public BufferedImage getImage() {
        Frame frame = latest;
        return frame == null ? null : frame.image();
    }

    @Override
    public synchronized void open() {
        if (reader != null) {
            return;
        }
        reader = new Thread(this::read, "capture-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        long period = Math.round(1000 / fps);
        while (reader == Thread.currentThread()) {
            try (FrameStream stream = opener.get()) {
                Frame frame;
                while (reader == Thread.currentThread() && (frame = stream.next()) != null) {
                    latest = frame;
                    TimeUnit.MILLISECONDS.sleep(period);
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("source {} failed: {}", name, e.toString());
                pause(period);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static void pause(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void close() {
        Thread running = reader;
        reader = null;
        if (running != null) {
            running.interrupt();
        }
        latest = null;
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
