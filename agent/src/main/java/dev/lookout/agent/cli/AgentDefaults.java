package dev.lookout.agent.cli;

import dev.lookout.exit.Failure;
import dev.lookout.settings.OptionFile;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Default values from the settings file: the one named by the command's {@code --config}, else
 * {@value #DEFAULT_FILE} when it exists. One file serves every command (each takes the keys of its
 * own options); a key that is no option of any command is an error, so that a typo is not silently
 * ignored. The command line wins over the file, the file over built-in defaults.
 */
final class AgentDefaults implements CommandLine.IDefaultValueProvider {
    static final String DEFAULT_FILE = "/etc/lookout/agent.properties";
    /** Options that say what one run does, not how the agent is set up: never from the file. */
    private static final Set<String> NOT_SETTINGS = Set.of("--config", "--duration", "--csv", "--stills", "--mask-out", "--score");
    private static final OptionFile FILE = new OptionFile("settings file", "to, key-file, source");

    private CommandLine.PropertiesDefaultProvider properties;

    @Override
    public String defaultValue(ArgSpec arg) throws Exception {
        if (properties == null) {
            OptionSpec config = arg.command().findOption("--config");
            Path named = config == null ? null : config.getValue();
            properties = new CommandLine.PropertiesDefaultProvider(load(named, root(arg.command())));
        }
        return properties.defaultValue(arg);
    }

    private static CommandSpec root(CommandSpec command) {
        return command.parent() == null ? command : root(command.parent());
    }

    /** Reads the file and checks its keys against every command's options. */
    static Properties load(Path named, CommandSpec root) throws Failure {
        return FILE.load(named, Path.of(DEFAULT_FILE), keys(root));
    }

    /** The long option names, without dashes, of every command but the help options and {@link #NOT_SETTINGS}. */
    static Set<String> keys(CommandSpec root) {
        Set<String> keys = new TreeSet<>();
        for (CommandLine sub : root.subcommands().values()) {
            for (OptionSpec option : sub.getCommandSpec().options()) {
                if (!option.usageHelp() && !option.versionHelp() && !NOT_SETTINGS.contains(option.longestName())) {
                    keys.add(option.longestName().replaceFirst("^--", ""));
                }
            }
        }
        return keys;
    }
}
