package dev.lookout.agent.capture;

import com.github.sarxos.webcam.Webcam;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Opens the agent's camera as a webcam-capture {@link Webcam}, the one way the agent does it. */
public final class Cameras {
    private static final long DISCOVERY_MILLIS = 5000;

    private Cameras() {
    }

    /**
     * Installs a driver for {@code device} and opens it, with webcam-capture's lock file disabled:
     * left on, it rewrites a file in {@code java.io.tmpdir} every 2 s, wearing out a Pi's SD card.
     */
    public static Webcam open(StreamDevice device) throws TimeoutException {
        Webcam.setDriver(new SourceDriver(device));
        List<Webcam> webcams = Webcam.getWebcams(DISCOVERY_MILLIS, TimeUnit.MILLISECONDS);
        Webcam webcam = webcams.get(0);
        webcam.getLock().disable();
        webcam.open();
        return webcam;
    }
}
