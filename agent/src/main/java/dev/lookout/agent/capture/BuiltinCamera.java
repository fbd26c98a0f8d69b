package dev.lookout.agent.capture;

import com.github.sarxos.webcam.WebcamDevice;
import com.github.sarxos.webcam.WebcamException;
import com.github.sarxos.webcam.ds.buildin.WebcamDefaultDriver;
import java.awt.Dimension;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code default[:NAME]}: a camera through webcam-capture's built-in native driver, where its
 * natives exist (x86, x86-64, armhf, armel; they need {@code libv4l2.so.0}, Debian's
 * {@code libv4l-0}). There is none for aarch64 — 64-bit Raspberry Pi OS — where {@code v4l2:} is
 * the way. Frames are taken at {@code fps}.
 */
final class BuiltinCamera implements FrameStream {
    private static final String ADVICE = " (the built-in driver has natives for x86, x86-64 and 32-bit ARM only, and"
            + " needs libv4l2.so.0 from libv4l-0; use v4l2:/dev/videoN instead)";

    private final WebcamDevice device;
    private final double fps;
    private long index;

    BuiltinCamera(String name, Dimension size, double fps) throws IOException {
        this.fps = fps;
        List<WebcamDevice> devices = devices();
        this.device = devices.stream().filter(d -> name.isEmpty() || d.getName().contains(name)).findFirst()
                .orElseThrow(() -> new IOException("the built-in driver finds " + (devices.isEmpty() ? "no camera" + ADVICE
                        : "no camera named '" + name + "' (it finds " + devices.stream().map(WebcamDevice::getName).toList()
                        + ")") + ADVICE));
        try {
            device.setResolution(size);
            device.open();
        } catch (WebcamException e) {
            throw new IOException("the built-in driver cannot open " + device.getName() + ": " + e.getMessage() + ADVICE, e);
        }
    }

    /** The cameras the built-in driver finds. */
    static List<WebcamDevice> devices() throws IOException {
        try {
            return new WebcamDefaultDriver().getDevices();
        } catch (WebcamException | LinkageError e) {
            throw new IOException("webcam-capture's built-in driver failed: " + e.getMessage() + ADVICE, e);
        }
    }

    @Override
    public Frame next() throws IOException {
        try {
            TimeUnit.MILLISECONDS.sleep(Math.round(1000 / fps));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        BufferedImage image = device.getImage();
        if (image == null) {
            throw new IOException("the built-in driver gives no more frames from " + device.getName());
        }
        long i = index++;
        return Frame.atRate(i, fps, image, null);
    }

    @Override
    public void close() {
        device.close();
    }
}
