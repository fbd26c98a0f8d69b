package dev.lookout.receiver.cli;

import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Supplies picocli's default values from the config file: the one named by {@code --config},
 * else the default file when it exists. The command line wins over the file, the file over
 * built-in defaults. (picocli asks for defaults after matching the arguments, so the value of
 * {@code --config} is known by then.)
 */
final class ConfigDefaults implements CommandLine.IDefaultValueProvider {
    private CommandLine.PropertiesDefaultProvider properties;

    /** Installs on the top command only: subcommands have options of their own. */
    static void install(CommandLine cli) {
        cli.getCommandSpec().defaultValueProvider(new ConfigDefaults());
    }

    @Override
    public String defaultValue(ArgSpec arg) throws Exception {
        if (properties == null) {
            OptionSpec config = arg.command().findOption("--config");
            Path named = config == null ? null : config.getValue();
            properties = new CommandLine.PropertiesDefaultProvider(ConfigFile.load(named));
        }
        return properties.defaultValue(arg);
    }
}
