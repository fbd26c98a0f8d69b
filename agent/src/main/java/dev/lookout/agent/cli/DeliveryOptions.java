package dev.lookout.agent.cli;

import dev.lookout.agent.send.Sender;
import dev.lookout.exit.Failure;
import dev.lookout.exit.Sysexit;
import dev.lookout.protocol.Address;
import dev.lookout.protocol.ImageCipher;
import dev.lookout.protocol.PresharedKey;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Where stills go and how: the options {@code send} and {@code flush} share. */
final class DeliveryOptions {
    @Option(names = "--to", required = true, paramLabel = "HOST:PORT", description = "The receiver (or unix:PATH).")
    String to;

    @Option(names = "--key-file", paramLabel = "FILE",
            description = "The pre-shared key (the receiver's 'keygen' file): stills are encrypted and authenticated.")
    Path keyFile;

    @Option(names = "--timeout", defaultValue = "10", paramLabel = "SECONDS",
            description = "Longest wait to connect, for a write to be taken in (a receiver that stops reading) and"
                    + " for each reply (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    Sender sender() throws Failure {
        ImageCipher cipher = null;
        if (keyFile != null) {
            try {
                cipher = new ImageCipher(PresharedKey.read(keyFile));
            } catch (IOException | IllegalArgumentException e) {
                throw new Failure(Sysexit.CONFIG, "cannot use key file " + keyFile + ": " + e.getMessage());
            }
        }
        return new Sender(Address.parse(to), cipher, Duration.ofSeconds(timeoutSeconds));
    }
}
