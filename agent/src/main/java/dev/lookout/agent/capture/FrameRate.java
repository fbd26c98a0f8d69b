package dev.lookout.agent.capture;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * The frames of a live stream at most at {@code fps}: a camera that delivers faster (it offered no
 * lower rate, or copied MJPEG cannot be resampled) has the frames in between dropped, as they
 * arrive, before anything decodes them. Frames are due on a fixed schedule, so a camera at just the
 * rate asked for keeps every frame despite jitter of up to a quarter of a period.
 */
final class FrameRate implements FrameStream {
    private final FrameStream frames;
    private final long period;
    private boolean started;
    private long due;

    FrameRate(FrameStream frames, double fps) {
        this.frames = frames;
        this.period = Math.round(TimeUnit.SECONDS.toNanos(1) / fps);
    }

    @Override
    public Frame next() throws IOException {
        Frame frame;
        while ((frame = frames.next()) != null) {
            long now = System.nanoTime();
            if (!started || now - due >= period) {
                started = true;
                due = now + period; // the first frame, or after a gap: a new schedule
                return frame;
            }
            if (now - due >= -period / 4) {
                due += period;
                return frame;
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        frames.close();
    }
}
