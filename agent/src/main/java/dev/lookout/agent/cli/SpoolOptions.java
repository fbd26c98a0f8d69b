package dev.lookout.agent.cli;

import dev.lookout.agent.send.Backoff;
import dev.lookout.agent.send.Courier;
import dev.lookout.agent.send.Drainer;
import dev.lookout.agent.send.Sender;
import dev.lookout.agent.spool.Spool;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The spool and how it drains: the options {@code run} and {@code flush} share. */
final class SpoolOptions {
    @Option(names = "--spool", defaultValue = "/var/spool/lookout", paramLabel = "DIR",
            description = "The spool folder (default: ${DEFAULT-VALUE}); a tmpfs spares an SD card, but loses stills on"
                    + " power loss.")
    Path spoolDir;

    @Option(names = "--spool-max-bytes", defaultValue = "536870912", paramLabel = "BYTES",
            description = "The spool drops its oldest stills beyond this size (default: ${DEFAULT-VALUE}, 512 MiB).")
    long maxBytes;

    @Option(names = "--spool-max-files", defaultValue = "10000", paramLabel = "N",
            description = "…or beyond this many stills (default: ${DEFAULT-VALUE}).")
    int maxFiles;

    @Option(names = "--batch", defaultValue = "100", paramLabel = "N",
            description = "Stills per connection when a backlog drains (default: ${DEFAULT-VALUE}).")
    int batch;

    Spool spool() throws IOException {
        return new Spool(spoolDir, maxBytes, maxFiles);
    }

    Drainer drainer(Spool spool, Sender sender, Drainer.Delivered delivered) {
        return new Drainer(spool, sender, batch(), delivered);
    }

    Courier courier(Spool spool, String camera, Sender sender, Backoff backoff,
                    java.util.function.BiConsumer<java.time.Duration, Runnable> retry) {
        return new Courier(spool, camera, sender, batch(), backoff, retry);
    }

    private int batch() {
        if (batch < 1) {
            throw new IllegalArgumentException("--batch must be at least 1");
        }
        return batch;
    }
}
