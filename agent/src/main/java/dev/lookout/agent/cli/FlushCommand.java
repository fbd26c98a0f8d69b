package dev.lookout.agent.cli;

import dev.lookout.agent.send.Drainer;
import dev.lookout.agent.spool.Spool;
import dev.lookout.exit.Sysexit;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "flush", mixinStandardHelpOptions = true,
        description = {"Drains the spool once: takes in the JPEGs dropped into its outbox/ folder (as far as the spool has",
            "room: a full spool is sent first), sends every still oldest first, removes each only after the",
            "receiver's OK, and exits. Exit 0 when the spool is empty,",
            "65 when the receiver refused a still for good (moved to rejected/), 75 when stills are kept for later."})
final class FlushCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Mixin
    DeliveryOptions delivery;

    @Mixin
    CameraOption camera;

    @Mixin
    SpoolOptions spooling;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Spool spool = spooling.spool();
        Drainer.Result result = spooling.drainer(spool, delivery.sender(), (entry, path, millis) -> { })
                .drainWithOutbox(camera.name());
        spec.commandLine().getErr().printf("%d taken from the outbox, %d delivered, %d rejected, %d kept%s%n", result.imported(),
                result.delivered(), result.rejected(), result.left(),
                result.problem() == null ? "" : " (" + result.problem() + ")");
        if (result.problem() != null) {
            return Sysexit.TEMPFAIL.code();
        }
        return (result.rejected() > 0 ? Sysexit.DATA : Sysexit.OK).code();
    }
}
