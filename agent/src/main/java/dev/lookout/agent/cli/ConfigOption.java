package dev.lookout.agent.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --config FILE}: where the settings file is (read by {@link AgentDefaults}). */
final class ConfigOption {
    @Option(names = "--config", paramLabel = "FILE",
            description = "Settings file; keys are the long option names without dashes, the command line wins"
                    + " (default: " + AgentDefaults.DEFAULT_FILE + " when present).")
    Path file;
}
