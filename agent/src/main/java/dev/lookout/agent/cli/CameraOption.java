package dev.lookout.agent.cli;

import dev.lookout.protocol.CameraName;
import picocli.CommandLine.Option;

/** {@code --camera NAME}: the name stills carry, the receiver's folder for them. */
final class CameraOption {
    @Option(names = "--camera", defaultValue = "camera", paramLabel = "NAME",
            description = "Camera name, the receiver's folder for these stills: " + CameraName.RULE
                    + " (default: ${DEFAULT-VALUE}).")
    String camera;

    /** The name, checked. */
    String name() {
        return checked(camera);
    }

    /** {@code camera}, when it is a valid name. */
    static String checked(String camera) {
        if (!CameraName.isValid(camera)) {
            throw new IllegalArgumentException("--camera must be " + CameraName.RULE + ", got '" + camera + "'");
        }
        return camera;
    }
}
