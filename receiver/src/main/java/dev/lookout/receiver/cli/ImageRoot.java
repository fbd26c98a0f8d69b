package dev.lookout.receiver.cli;

import dev.lookout.exit.Failure;
import dev.lookout.exit.Sysexit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import picocli.CommandLine.Option;

/** The image root of 'gallery' and 'prune': --dir, else the receiver's config file's dir, else its default. */
final class ImageRoot {
    @Option(names = "--dir", paramLabel = "DIR",
            description = "The image root (default: 'dir' of the config file, else " + Settings.DIR_DEFAULT + ").")
    Path dir;

    @Option(names = "--config", paramLabel = "FILE",
            description = "The receiver's config file, for its 'dir' (default: " + ConfigFile.DEFAULT_HELP + ").")
    Path config;

    /** The root, which must exist. */
    Path path() throws Failure {
        Path root = dir != null ? dir : Path.of(file().getProperty(Settings.DIR, Settings.DIR_DEFAULT));
        if (!Files.isDirectory(root)) {
            throw new Failure(Sysexit.CONFIG, "no image root at " + root + " (see --dir)");
        }
        return root;
    }

    /** The receiver's config file: the one named by --config, else the default one when present. */
    Properties file() throws Failure {
        return ConfigFile.load(config);
    }
}
