package dev.lookout.agent.capture;

import com.github.sarxos.webcam.WebcamDevice;
import com.github.sarxos.webcam.WebcamDriver;
import java.util.List;

/** A webcam-capture driver that offers one device: the source named by {@code --source}. */
public final class SourceDriver implements WebcamDriver {
    private final StreamDevice device;

    public SourceDriver(StreamDevice device) {
        this.device = device;
    }

    @Override
    public List<WebcamDevice> getDevices() {
        return List.of(device);
    }

    /** Each call only reads the device's newest frame: no need to funnel calls through one thread. */
    @Override
    public boolean isThreadSafe() {
        return true;
    }
}
