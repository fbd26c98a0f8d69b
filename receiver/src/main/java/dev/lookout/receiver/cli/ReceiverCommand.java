package dev.lookout.receiver.cli;

import dev.lookout.exit.Failure;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "lookout-receiver", mixinStandardHelpOptions = true, version = "lookout-receiver 0.1.0",
        sortOptions = false, usageHelpAutoWidth = true, subcommands = {KeygenCommand.class, GalleryCommand.class, PruneCommand.class, ArchiveCommand.class},
        description = {
            "Receives JPEG images from Lookout agents and stores them as <dir>/<camera>/<YYYY-MM-DD>/<HH-MM-SS.mmm>.jpg.",
            "Serves the connection or listening socket it inherits on standard input (systemd, inetd),"
                + " or listens by itself with --listen. Replies 'OK <path>' or 'ERR <code> <reason>' per image.",
            "Every option but --config and --verbose may also be set in the config file, under its long name"
                + " without dashes (dir=/srv/images)."
        },
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:every image stored (listeners: ended normally)",
            "64:usage error, or nothing to serve",
            "65:bad data from the peer (garbage, invalid image, timeout, empty)",
            "70:internal error",
            "74:storage full or I/O error",
            "75:archive: the object store is unreachable or refuses for now (try again later)",
            "77:authentication failed",
            "78:configuration error"
        })
final class ReceiverCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE",
            description = "Config file (default: " + ConfigFile.DEFAULT_HELP + ").")
    Path config;

    @Mixin
    Settings settings;

    @Option(names = "--verbose", description = "Show stack traces with errors.")
    boolean verbose;

    @Override
    public Integer call() throws IOException, Failure {
        return settings.launcher()
                .run(System.inheritedChannel(), settings.listen, settings.idleExit, settings.maxConnections).code();
    }
}
