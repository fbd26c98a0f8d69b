package dev.lookout.agent.cli;

import dev.lookout.agent.send.Drainer;
import dev.lookout.agent.spool.Spool;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "flush", mixinStandardHelpOptions = true,
        description = {"Drains the spool once: takes in the JPEGs dropped into its outbox/ folder, sends every still",
            "oldest first, removes each only after the receiver's OK, and exits. Exit 0 when the spool is empty,",
            "65 when the receiver refused a still for good (moved to rejected/), 75 when stills are kept for later."})
final class FlushCommand implements Callable<Integer> {
    @Mixin
    DeliveryOptions delivery;

    @Mixin
    CameraOption camera;

    @Option(names = "--spool", defaultValue = "/var/spool/lookout", paramLabel = "DIR",
            description = "The spool folder (default: ${DEFAULT-VALUE}).")
    Path spoolDir;

    @Option(names = "--batch", defaultValue = "100", paramLabel = "N",
            description = "Stills per connection (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--spool-max-bytes", defaultValue = "536870912", paramLabel = "BYTES",
            description = "The spool drops its oldest stills beyond this size (default: ${DEFAULT-VALUE}, 512 MiB).")
    long maxBytes;

    @Option(names = "--spool-max-files", defaultValue = "10000", paramLabel = "N",
            description = "…or beyond this many stills (default: ${DEFAULT-VALUE}).")
    int maxFiles;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (batch < 1) {
            throw new IllegalArgumentException("--batch must be at least 1");
        }
        Spool spool = new Spool(spoolDir, maxBytes, maxFiles);
        int imported = spool.importOutbox(camera.name());
        Drainer.Result result = new Drainer(spool, delivery.sender(), batch, (entry, path, millis) -> { }).drain();
        spec.commandLine().getErr().printf("%d taken from the outbox, %d delivered, %d rejected, %d kept%s%n", imported,
                result.delivered(), result.rejected(), result.left(),
                result.problem() == null ? "" : " (" + result.problem() + ")");
        if (result.problem() != null) {
            return ExitStatus.TEMPFAIL.code();
        }
        return (result.rejected() > 0 ? ExitStatus.DATA : ExitStatus.OK).code();
    }
}
